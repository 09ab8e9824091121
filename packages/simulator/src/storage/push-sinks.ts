import { readFileSync } from 'node:fs'
import type { SimulatorConfig } from '../config.js'
import { SimulatorError } from '../errors.js'
import { GcsPushSink } from './gcs-sink.js'
import { SftpPushSink } from './sftp-sink.js'
import type { PushSink } from './upload-queue.js'

/** The configured `sftp` and `gcs` sinks (`local` is the simulator's own folder, not a push). */
export function createPushSinks(config: SimulatorConfig['storage']): PushSink[] {
  const sinks: PushSink[] = []
  config.sinks.forEach((sink, index) => {
    if (sink.type === 'sftp') {
      let privateKey = sink.privateKey
      if (privateKey === undefined && sink.privateKeyFile !== undefined) {
        try {
          privateKey = readFileSync(sink.privateKeyFile, 'utf8')
        } catch (error) {
          throw new SimulatorError(
            'invalid_config',
            `storage.sinks.${index}.privateKeyFile: expected a readable key file, received ${sink.privateKeyFile} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
          )
        }
      }
      sinks.push(new SftpPushSink(sink, privateKey))
    } else if (sink.type === 'gcs') {
      sinks.push(new GcsPushSink(sink))
    }
  })
  return sinks
}
