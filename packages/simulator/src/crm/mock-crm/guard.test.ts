import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp, isLoopbackHost } from '../../app.js'
import { defaultMockCrmSettings } from './default-settings.js'

/*
 * `GET /_sim/crm/settings` and the attachment downloads answer without credentials on loopback
 * (only this machine can ask); beyond loopback they demand the mock CRM's credentials. Configured
 * settings (a real CRM's) never show their secret.
 */

const KEY = { 'x-api-key': 'ccai-sim-mock-crm-key' }
const START = '2025-03-01T09:00:00.000Z'

function sim(host: string, settings?: CrmIntegrationSettings) {
  return createSimulatorApp({
    config: {
      host,
      clock: { mode: 'manual', start: START },
      crm: { enabled: false, ...(settings ? { settings } : {}) },
    },
  }).app
}

async function uploaded(app: ReturnType<typeof sim>): Promise<string> {
  const record = await app.request('/crm/api/records', {
    method: 'POST',
    headers: { ...KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ subject: 'r' }),
  })
  const { id } = (await record.json()) as { id: number }
  const upload = await app.request(`/crm/api/records/${String(id)}/attachments`, {
    method: 'POST',
    headers: { ...KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ file: Buffer.from('x').toString('base64'), filename: 'a.txt' }),
  })
  return new URL(((await upload.json()) as { url: string }).url).pathname
}

describe('settings and downloads by host', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(host), host).toBe(true)
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com'])
      expect(isLoopbackHost(host), host).toBe(false)
  })

  it('on loopback, answers the settings masked, with ?secrets=include the mock CRM key (a ready-made file), and downloads, without credentials', async () => {
    const app = sim('127.0.0.1')
    const settings = await app.request('/_sim/crm/settings')
    expect(settings.status).toBe(200)
    const masked = await settings.text()
    expect(masked).not.toContain('ccai-sim-mock-crm-key')
    expect(JSON.parse(masked)).toMatchObject({
      authentication: { fields: [{ field_key: 'X-Api-Key', field_value: '***' }] },
    })
    const full = await app.request('/_sim/crm/settings?secrets=include')
    expect(full.status).toBe(200)
    expect(JSON.stringify(await full.json())).toContain('ccai-sim-mock-crm-key')
    const download = await app.request(await uploaded(app))
    expect(download.status).toBe(200)
  })

  it('beyond loopback, answers 401 problem+json without the mock CRM credentials and 200 with them', async () => {
    const app = sim('0.0.0.0')
    const refused = await app.request('/_sim/crm/settings')
    expect(refused.status).toBe(401)
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    expect(await refused.json()).toMatchObject({
      type: 'unauthorized',
      detail: 'the X-Api-Key header is required',
    })
    expect(
      (await app.request('/_sim/crm/settings', { headers: { 'x-api-key': 'wrong' } })).status,
    ).toBe(401)
    expect((await app.request('/_sim/crm/settings', { headers: KEY })).status).toBe(200)
    expect(
      (
        await app.request('/_sim/crm/settings?secrets=include', {
          headers: { 'x-api-key': 'wrong' },
        })
      ).status,
    ).toBe(401)
    const path = await uploaded(app)
    expect((await app.request(path)).status).toBe(401)
    expect((await app.request(path, { headers: KEY })).status).toBe(200)
  })

  it('masks the secret of configured settings, as the journal masks sent headers', async () => {
    const base = defaultMockCrmSettings('https://crm.example.com')
    const settings: CrmIntegrationSettings = {
      ...base,
      authentication: {
        method: 'custom_header',
        fields: [{ field_key: 'X-Secret', field_value: 'real-crm-secret' }],
      },
    }
    const app = sim('127.0.0.1', settings)
    // Never in clear, not even when asked for: they are a real CRM's.
    for (const path of ['/_sim/crm/settings', '/_sim/crm/settings?secrets=include']) {
      const text = await (await app.request(path)).text()
      expect(text).not.toContain('real-crm-secret')
      expect(JSON.parse(text)).toMatchObject({
        authentication: {
          method: 'custom_header',
          fields: [{ field_key: 'X-Secret', field_value: '***' }],
        },
      })
    }
  })

  it('masks a Basic password and an OAuth client secret, and names a bad secrets value', async () => {
    const base = defaultMockCrmSettings('https://crm.example.com')
    const basic = await sim('127.0.0.1', {
      ...base,
      authentication: { method: 'basic', username: 'kim', password: 'pa55word' },
    }).request('/_sim/crm/settings')
    expect(await basic.json()).toMatchObject({
      authentication: { method: 'basic', username: 'kim', password: '***' },
    })
    const oauth = sim('127.0.0.1', {
      ...base,
      authentication: {
        method: 'oauth2',
        authorization_url: 'https://crm.example.com/oauth/authorize',
        token_url: 'https://crm.example.com/oauth/token',
        client_id: 'client-1',
        client_secret: 'oauth-secret',
      },
    })
    const text = await (await oauth.request('/_sim/crm/settings')).text()
    expect(text).not.toContain('oauth-secret')
    expect(JSON.parse(text)).toMatchObject({
      authentication: { client_id: 'client-1', client_secret: '***' },
    })
    const bad = await oauth.request('/_sim/crm/settings?secrets=yes')
    expect(bad.status).toBe(422)
    expect(((await bad.json()) as { detail: string }).detail).toMatch(/secrets/)
  })
})
