import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSimulatorApp } from './app.js'
import { loadConfig } from './config.js'
import { saveWebhooksToConfigFile } from './config-file.js'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-config-file-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'sim.jsonc')
  await writeFile(path, text, 'utf8')
  return path
}

const COMMENTED = `// The team's simulator settings.
{
    /* Manual clock: tests move it. */
    "clock": { "mode": "manual" },
    "webhooks": {
        // The old receiver, retired soon.
        "adapter": [{ "url": "http://old.test/hook" }],
        "concurrency": 2, // keep it gentle
    },
}
`

function put(app: ReturnType<typeof createSimulatorApp>['app'], body: unknown) {
  return app.request('/_sim/webhooks', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

describe('saving the webhook targets into the configuration file', () => {
  it('keeps the comments and other settings, and a restart from the file has the new targets', async () => {
    const path = await configFile(COMMENTED)
    const { app } = createSimulatorApp({
      config: await loadConfig({ file: path, cwd: '/' }),
      configFile: path,
    })
    const targets = {
      adapter: [{ url: 'http://new.test/adapter', headers: { 'x-api-key': 'k1' } }],
      qm: [{ url: 'http://new.test/qm' }],
    }
    expect((await put(app, targets)).status).toBe(200)
    // PUT alone leaves the file as it was.
    expect(await readFile(path, 'utf8')).toBe(COMMENTED)

    const saved = await app.request('/_sim/webhooks/save', { method: 'POST' })
    expect(saved.status).toBe(200)
    expect(await saved.json()).toEqual({
      file: path,
      webhooks: { adapter: targets.adapter, qm: [{ url: 'http://new.test/qm', headers: {} }] },
    })
    const text = await readFile(path, 'utf8')
    for (const comment of [
      "// The team's simulator settings.",
      '/* Manual clock: tests move it. */',
      '// keep it gentle',
    ])
      expect(text).toContain(comment)
    expect(text).not.toContain('old.test')
    // The file's own four-space indentation is kept for what was inserted.
    expect(text).toMatch(/\n {8}"qm": \[/)

    const restarted = await loadConfig({ file: path, cwd: '/' })
    expect(restarted.webhooks).toMatchObject({
      adapter: targets.adapter,
      qm: [{ url: 'http://new.test/qm' }],
      concurrency: 2,
    })
    expect(restarted.clock.mode).toBe('manual')
  })

  it('adds a webhooks object to a file that has none', async () => {
    const path = await configFile('{\n  // only a seed\n  "seed": 7\n}\n')
    await saveWebhooksToConfigFile(path, {
      adapter: [{ url: 'http://a.test/h', headers: {} }],
      qm: [],
    })
    const text = await readFile(path, 'utf8')
    expect(text).toContain('// only a seed')
    const config = await loadConfig({ file: path, cwd: '/' })
    expect(config.seed).toBe(7)
    expect(config.webhooks.adapter).toEqual([{ url: 'http://a.test/h', headers: {} }])
  })

  it('answers 409 conflict when the simulator was started without a configuration file', async () => {
    const { app } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    const response = await app.request('/_sim/webhooks/save', { method: 'POST' })
    expect(response.status).toBe(409)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const body = (await response.json()) as { type: string; detail: string }
    expect(body.type).toBe('conflict')
    expect(body.detail).toContain('without a configuration file')
  })

  it('refuses, leaving the file unchanged, when the file is no longer valid JSONC', async () => {
    const broken = '{ "seed": 7, // cut off\n'
    const path = await configFile(broken)
    await expect(saveWebhooksToConfigFile(path, { adapter: [], qm: [] })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('was not changed') as unknown,
    })
    expect(await readFile(path, 'utf8')).toBe(broken)
  })

  it('refuses when the file is gone', async () => {
    const path = await configFile('{}')
    await rm(path)
    await expect(saveWebhooksToConfigFile(path, { adapter: [], qm: [] })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('cannot be read (ENOENT)') as unknown,
    })
  })
})
