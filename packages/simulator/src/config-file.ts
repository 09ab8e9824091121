import { readFile, rename, writeFile } from 'node:fs/promises'
import type { FormattingOptions } from 'jsonc-parser'
import { ConfigError, jsonc, parseConfig, parseConfigText } from './config.js'
import type { WebhookTargets } from './delivery/webhook-dispatcher.js'
import { SimulatorError } from './errors.js'

/*
 * Writes run-time changes back into the configuration file the simulator was started with, only
 * when asked (`POST /_sim/webhooks/save`). The file is JSONC written by a person: it is edited in
 * place with jsonc-parser's `modify`, so comments, key order and formatting outside the edited
 * values survive, and replaced atomically (a temporary file renamed over it).
 */

/** The file's own indentation and line ends, so the inserted values look like the rest. */
function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  '
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  }
}

function refused(message: string): SimulatorError {
  return new SimulatorError('conflict', message)
}

/**
 * Replaces `webhooks.adapter` and `webhooks.qm` in the configuration file at `path` with `targets`
 * (headers only where there are some). Throws `conflict` when the file cannot be read, is no longer
 * valid JSONC, or would not be a valid configuration afterwards; the file is then left as it was.
 */
export async function saveWebhooksToConfigFile(
  path: string,
  targets: WebhookTargets,
): Promise<void> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = String((error as { code?: unknown }).code)
    throw refused(`the configuration file ${path} cannot be read (${code})`)
  }
  const formattingOptions = formattingOf(text)
  let next = text
  try {
    parseConfigText(text, path)
    for (const surface of ['adapter', 'qm'] as const) {
      const value = targets[surface].map((target) =>
        Object.keys(target.headers).length === 0
          ? { url: target.url }
          : { url: target.url, headers: target.headers },
      )
      const { applyEdits, modify } = jsonc()
      next = applyEdits(next, modify(next, ['webhooks', surface], value, { formattingOptions }))
    }
    parseConfig(parseConfigText(next, path), path)
  } catch (error) {
    if (error instanceof ConfigError)
      throw refused(`the configuration file ${path} was not changed: ${error.detail}`)
    throw error
  }
  const temporary = `${path}.${String(process.pid)}.saving`
  await writeFile(temporary, next, 'utf8')
  await rename(temporary, path)
}
