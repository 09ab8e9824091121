// Refreshes the console screenshots in docs/console/ (embedded in the README): a simulator on a
// free port with a manual clock, a call and a chat played to the end, a webhook receiver added at
// run time, then each view captured in Debian's Chromium. Run with `pnpm screenshots`.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startSimulator } from '../src/server.js'
import { launchChromium } from '../test/support/chromium.js'
import { advance, webhookReceiver } from '../test/support/console-driver.js'

const OUT = resolve(import.meta.dirname, '..', '..', '..', 'docs', 'console')

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`POST ${url}: HTTP ${String(response.status)}`)
  return response.json()
}

const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-screenshots-'))
const receiver = await webhookReceiver()
const sim = await startSimulator({
  config: { port: 0, clock: { mode: 'manual' }, storage: { dir: join(dir, 'storage') } },
})
const browser = await launchChromium()
try {
  await mkdir(OUT, { recursive: true })
  await fetch(`${sim.url}/_sim/webhooks`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ adapter: [{ url: receiver.url }] }),
  })
  const call = (await post(`${sim.url}/_sim/sessions`, {
    scenario: 'inbound-ivr-call',
    seed: 11,
  })) as { id: number }
  await advance(sim.url, 300_000)
  await post(`${sim.url}/_sim/sessions`, { scenario: 'web-chat-va-escalation', seed: 3 })
  for (let i = 0; i < 6; i += 1) await advance(sim.url, 900_000)

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  await page.goto(`${sim.url}/#session-${String(call.id)}`)
  // The sticky header would cover the top of each section's picture.
  await page.evaluate(() => {
    const header = document.querySelector('header')
    if (header) header.style.position = 'static'
  })
  const shot = async (selector: string, name: string): Promise<void> => {
    await page.locator(selector).screenshot({ path: join(OUT, `${name}.png`) })
    process.stdout.write(`docs/console/${name}.png\n`)
  }

  // The session page, one CRM exchange open.
  const exchange = page
    .locator('#session-body [data-lane="crm"] details.crm-exchange')
    .filter({ hasText: 'POST' })
    .first()
  await exchange.waitFor()
  await exchange.locator('summary').click()
  await exchange.locator('pre.response-body').waitFor()
  await shot('#session', 'session')

  await page.locator('#sessions tbody tr').nth(1).waitFor()
  await shot('#start', 'start')
  await shot('#sessions', 'sessions')

  // The journal, filtered to CRM exchanges, the newest open.
  await page.selectOption('#journal-type', 'crm-exchange')
  const row = page.locator('#journal-body li[data-type="crm-exchange"]').first()
  await row.waitFor()
  await row.locator('summary').click()
  await shot('#journal', 'journal')

  // The chat's outcome mail.
  await page.locator('#mailbox-body li[data-mail-id] button', { hasText: 'chat' }).click()
  await page.locator('#mail-view .attachments a').waitFor()
  await shot('#mailbox', 'mail')

  // Storage: the call recording in the player.
  await page.locator('#storage-body button[data-path*="recording"]').first().click()
  await page.locator('#storage-preview audio').waitFor()
  await shot('#storage', 'storage')

  await page.locator('#agents-body tr[data-agent-id]').first().waitFor()
  await shot('#agents', 'agents')
  await page.locator(`#deliveries tr[data-lane="${receiver.url}"]`).waitFor()
  await shot('#deliveries', 'deliveries')
  // A fault rule on the mock CRM, as the faults panel lists it.
  const fault = await fetch(`${sim.url}/_sim/crm/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      route: 'create_record',
      kind: 'status',
      status: 503,
      probability: 0.5,
      seed: 7,
    }),
  })
  if (!fault.ok)
    throw new Error(`adding a fault rule: ${String(fault.status)} ${await fault.text()}`)
  await page.locator('#faults-body li[data-fault]').first().waitFor()
  await shot('#faults', 'faults')

  // A phone-sized window.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.evaluate(() => {
    window.scrollTo(0, 0)
  })
  await page.screenshot({ path: join(OUT, 'narrow.png') })
  process.stdout.write('docs/console/narrow.png\n')
  await page.close()
} finally {
  await browser.close()
  await sim.close()
  await receiver.close()
  await rm(dir, { recursive: true, force: true })
}
