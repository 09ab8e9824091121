/*
 * The console at `/`: one self-contained HTML page (no external assets) that reads the control
 * API, the read-only views and the SSE stream. Its script is the TypeScript under `client/`,
 * bundled (bundle.ts) and inlined; every piece of data reaches the DOM through `textContent` or
 * attribute setters, never through `innerHTML`, because payload strings are generated (and, in a
 * reset-and-replay demo, may be anything).
 */
import { FAULT_KINDS, MOCK_CRM_ROUTES } from '../crm/mock-crm/faults.js'
import { escapeHtml } from '../http/html.js'
import { JOURNAL_TYPES, STATE_LEGEND } from './shared.js'

/** Written so a CSP hash can cover it: no interpolation, kept byte-stable. */
export const CONSOLE_STYLE = String.raw`
:root {
  --bg: #f6f7f9; --panel: #fff; --ink: #1d2330; --muted: #5a6372; --line: #e3e6ec;
  --accent: #2457c5; --ok: #1a6b3c; --warn: #8a4f00; --bad: #b42318; --chip: #eef1f6;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
header { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 12px 20px;
  background: var(--panel); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 17px; margin: 0; }
header h1 small { color: var(--muted); font-weight: normal; }
header nav { margin-left: auto; display: flex; gap: 14px; }
a { color: var(--accent); }
main { display: grid; gap: 16px; padding: 16px 20px 40px;
  grid-template-columns: repeat(6, minmax(0, 1fr));
  grid-template-areas: 'start start sessions sessions sessions sessions'
    'session session session session session session'
    'journal journal journal journal events events'
    'mailbox mailbox mailbox storage storage storage'
    'agents agents agents deliveries deliveries deliveries' 'embed embed embed embed embed embed'; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); padding: 10px 8px 30px;
  grid-template-areas: 'start' 'sessions' 'session' 'journal' 'events' 'mailbox' 'storage' 'agents'
    'deliveries' 'embed'; }
  header { padding: 10px 8px; position: static; } header nav { margin-left: 0; flex-wrap: wrap; gap: 8px 12px; } }
#start { grid-area: start; } #sessions { grid-area: sessions; } #session { grid-area: session; }
#journal { grid-area: journal; } #events { grid-area: events; } #storage { grid-area: storage; }
#mailbox { grid-area: mailbox; } #embed { grid-area: embed; } #agents { grid-area: agents; }
#deliveries { grid-area: deliveries; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
  min-width: 0; }
section > h2 { font-size: 15px; margin: 0 0 8px; display: flex; gap: 8px; align-items: baseline; }
section > h2 .hint { color: var(--muted); font-weight: normal; font-size: 12px; }
.scroll { max-height: 360px; overflow: auto; }
.muted { color: var(--muted); }
.mono, pre, code { font-family: var(--mono); font-size: 12px; }
pre { background: #f3f5f8; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  overflow: auto; max-height: 320px; margin: 6px 0; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
tr.clickable { cursor: pointer; }
tr.clickable:hover, li.clickable:hover { background: #f3f6fc; }
tr.selected { background: #e8effc; }
.chip { display: inline-block; padding: 0 7px; border-radius: 10px; background: var(--chip);
  font-size: 12px; white-space: nowrap; }
.chip.ok { background: #e3f4ea; color: var(--ok); } .chip.warn { background: #fff1dc; color: var(--warn); }
.chip.bad { background: #fde8e6; color: var(--bad); } .chip.info { background: #e8effc; color: var(--accent); }
button { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button:disabled { opacity: .55; cursor: default; }
label { display: block; margin: 6px 0 2px; font-size: 12px; color: var(--muted); }
select, input { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 6px; width: 100%; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.clock { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.clock .now { font-family: var(--mono); font-size: 14px; }
.problem { border: 1px solid #f3c2bd; background: #fff6f5; color: var(--bad); border-radius: 6px;
  padding: 6px 10px; margin: 8px 0; }
.problem ul { margin: 4px 0 0; padding-left: 18px; }
.problem code { color: var(--ink); }
.notice { color: var(--ok); margin: 8px 0; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain > li { padding: 4px 6px; border-bottom: 1px solid var(--line); }
li.clickable { cursor: pointer; }
.lanes { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(min(320px, 100%), 1fr)); }
.lane h3, .story h3 { font-size: 13px; margin: 10px 0 4px; }
.step.future, .emission.pending { color: var(--muted); }
.t { font-family: var(--mono); font-size: 12px; color: var(--muted); margin-right: 6px; }
progress { width: 90px; max-width: 30vw; vertical-align: middle; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0 8px; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
.dot.open { background: var(--ok); } .dot.error { background: var(--bad); }
ul.demo-log li { word-break: break-all; }
button.link { border: 0; background: none; padding: 0; color: var(--accent); text-decoration: underline;
  cursor: pointer; font: inherit; text-align: left; word-break: break-all; }
button.link.mono { font-family: var(--mono); font-size: 12px; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
details > summary { cursor: pointer; padding: 2px 0; word-break: break-word; }
details > summary:hover { background: #f3f6fc; }
.lane-wide { grid-column: 1 / -1; }
/* Long unbroken text (a record-pop URL in a story step, a JSON detail) wraps inside its lane. */
.lane { min-width: 0; overflow-wrap: anywhere; }
.lane .url, .record .url { display: block; overflow-wrap: anywhere; }
h4 { font-size: 12px; margin: 8px 0 2px; color: var(--muted); }
.bad-text { color: var(--bad); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin: 0 0 8px; }
.filters { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 4px 10px; margin-bottom: 6px; }
.filters label { margin: 0; }
.spread { justify-content: space-between; }
.panel-view { border-top: 1px solid var(--line); margin-top: 10px; padding-top: 8px; }
.panel-view h3 { font-size: 14px; margin: 4px 0; overflow-wrap: anywhere; }
ul.tree { list-style: none; margin: 0; padding-left: 14px; } #storage-body > ul.tree { padding-left: 0; }
ul.tree li.file, ul.plain li.selected, li.file.selected { padding: 1px 0; }
li.selected, tr.selected { background: #e8effc; }
.panel-view audio, .panel-view video, .panel-view img { max-width: 100%; display: block; margin: 6px 0; }
.scroll-x { overflow-x: auto; } td.num { text-align: right; font-family: var(--mono); font-size: 12px; }
td.actions { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.params { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 0 10px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 4px 10px 8px; }
legend { font-size: 12px; color: var(--muted); }
iframe.demo { width: 100%; height: 260px; border: 1px solid var(--line); border-radius: 6px; }
`

export interface ConsolePageOptions {
  /** The clock mode at render time, so the manual-clock buttons show before the first poll. */
  readonly clockMode: string
  /** The bundled client (bundle.ts), inlined so the page needs nothing else. */
  readonly script: string
}

/** The console page as one HTML string (styles and script inline, no external assets). */
export function consolePage(options: ConsolePageOptions): string {
  const manual = options.clockMode === 'manual'
  const snippet = [
    `window.addEventListener('message', (event) => {`,
    `  if (event.origin !== '<span class="origin">http://127.0.0.1:4010</span>') return`,
    `  const { type, data } = JSON.parse(event.data)`,
    `  // type: New_Chat, Chat_Inbound_Message, End_Chat, …`,
    `  console.log(type, data)`,
    `})`,
  ].join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccai-sim console</title>
<style>${CONSOLE_STYLE}</style>
</head>
<body>
<header>
  <h1>ccai-sim <small>CCAI Platform simulator</small></h1>
  <div class="clock" id="clock" aria-live="polite">
    <span class="chip info" id="clock-mode">${escapeHtml(options.clockMode)}</span>
    <time class="now" id="clock-now">…</time>
    <span class="muted" id="clock-pending"></span>
    <span class="row" id="clock-controls"${manual ? '' : ' hidden'}>
      <button type="button" data-ms="60000">+1 min</button>
      <button type="button" data-ms="900000">+15 min</button>
      <button type="button" data-ms="3600000">+1 h</button>
    </span>
    <span id="clock-error"></span>
  </div>
  <nav aria-label="Views and documents">
    <a href="#sessions">Sessions</a>
    <a href="#journal">Journal</a>
    <a href="#mailbox">Mail</a>
    <a href="#storage">Storage</a>
    <a href="#agents">Agents</a>
    <a href="#deliveries">Deliveries</a>
    <a href="#faults">CRM faults</a>
    <a href="/crm/">Mock CRM</a>
    <a href="/openapi.json">OpenAPI</a>
    <a href="/agent/?type=chat&amp;from=custom">Adapter page</a>
  </nav>
</header>
<main>
  <section id="start" aria-labelledby="start-heading">
    <h2 id="start-heading">Start a scenario</h2>
    <form id="start-form" novalidate>
      <label for="scenario">Scenario</label>
      <select id="scenario" name="scenario"></select>
      <p class="muted" id="scenario-description"></p>
      <label for="seed">Seed <span class="muted">(optional; the same seed replays the same session)</span></label>
      <input id="seed" name="seed" inputmode="numeric" autocomplete="off" placeholder="default: the simulator's seed">
      <div class="params">
        <div>
          <label for="agent-mode">Agent</label>
          <select id="agent-mode" name="agent">
            <option value="">scripted (default)</option>
            <option value="scripted">scripted</option>
            <option value="manual">manual: you drive the agent</option>
          </select>
        </div>
        <div>
          <label for="agent-id">Agent id <span class="muted">(optional)</span></label>
          <input id="agent-id" name="agentId" inputmode="numeric" autocomplete="off" placeholder="drawn">
        </div>
      </div>
      <fieldset id="params-box" hidden>
        <legend>Scenario parameters <span class="muted">(blank: the scenario's default)</span></legend>
        <div class="params" id="params"></div>
      </fieldset>
      <p class="row"><button class="primary" id="start-button" type="submit">Start</button>
        <span class="muted">POST /_sim/sessions</span></p>
    </form>
    <div id="start-result" aria-live="polite"></div>
  </section>
  <section id="sessions" aria-labelledby="sessions-heading">
    <h2 id="sessions-heading">Sessions <span class="hint" id="sessions-count"></span></h2>
    <p class="legend" id="state-legend">${STATE_LEGEND.map(([name, meaning]) => `<span><span class="chip">${name}</span> ${escapeHtml(meaning)}</span>`).join(' ')}</p>
    <div class="scroll" id="sessions-body"><p class="muted">Loading…</p></div>
  </section>
  <section id="session" aria-labelledby="session-heading">
    <h2 id="session-heading" tabindex="-1">Session <span class="hint" id="session-title"></span><span class="hint">one lane per surface, the CRM's requests, the inputs that drove it; open a row to read it</span></h2>
    <div id="session-body"></div>
  </section>
  <section id="journal" aria-labelledby="journal-heading">
    <h2 id="journal-heading">Journal <span class="hint" id="journal-count"></span><span class="hint">newest first, live</span></h2>
    <div class="filters">
      <div><label for="journal-type">Type</label>
      <select id="journal-type">
        <option value="">all</option>
${JOURNAL_TYPES.map((t) => `        <option value="${t}">${t}</option>`).join('\n')}
      </select></div>
      <div><label for="journal-session">Session</label>
      <input id="journal-session" inputmode="numeric" autocomplete="off" placeholder="any"></div>
      <div><label for="journal-text">Contains</label>
      <input id="journal-text" type="search" autocomplete="off" placeholder="text"></div>
    </div>
    <div class="scroll" id="journal-body"></div>
  </section>
  <section id="events" aria-labelledby="events-heading">
    <h2 id="events-heading">Live events <span class="hint" id="events-status"></span></h2>
    <p class="muted">Every emission as <a href="/events">GET /events</a> streams it (Server-Sent Events; filters: <code>?surface=adapter,qm&amp;session=…&amp;agent=…</code>).</p>
    <div class="scroll" id="events-body"></div>
  </section>
  <section id="mailbox" aria-labelledby="mailbox-heading">
    <h2 id="mailbox-heading">Mailbox <span class="hint">newest first · <a href="/mail/">GET /mail/</a></span></h2>
    <div class="scroll" id="mailbox-body"></div>
    <div class="panel-view" id="mail-view" aria-live="polite" hidden></div>
  </section>
  <section id="storage" aria-labelledby="storage-heading">
    <h2 id="storage-heading">Storage <span class="hint"><a href="/storage/">GET /storage/</a></span></h2>
    <div class="scroll" id="storage-body"></div>
    <div class="panel-view" id="storage-preview" aria-live="polite" hidden></div>
  </section>
  <section id="agents" aria-labelledby="agents-heading">
    <h2 id="agents-heading">Agents <span class="hint" id="agents-count"></span></h2>
    <div id="agents-result"></div>
    <div class="scroll scroll-x" id="agents-body"></div>
    <h3>Connected to the peers</h3>
    <div id="peers-body"></div>
  </section>
  <section id="deliveries" aria-labelledby="deliveries-heading">
    <h2 id="deliveries-heading">Deliveries <span class="hint">webhooks and mail · <a href="/_sim/deliveries">GET /_sim/deliveries</a></span></h2>
    <div id="deliveries-body"></div>
    <div id="retry-result" aria-live="polite"></div>
    <form id="webhook-form" novalidate>
      <fieldset>
        <legend>Add a webhook target (PUT /_sim/webhooks; until restart)</legend>
        <div class="params">
          <div><label for="webhook-surface">Emissions</label>
          <select id="webhook-surface"><option value="adapter">adapter and VTA</option><option value="qm">QM</option></select></div>
          <div><label for="webhook-url">URL</label>
          <input id="webhook-url" type="url" autocomplete="off" placeholder="https://…/hook"></div>
          <div><label for="webhook-header-name">Header <span class="muted">(optional)</span></label>
          <input id="webhook-header-name" autocomplete="off" placeholder="x-api-key"></div>
          <div><label for="webhook-header-value">Header value</label>
          <input id="webhook-header-value" autocomplete="off"></div>
        </div>
        <p class="row"><button class="primary" id="webhook-add" type="submit">Add</button></p>
      </fieldset>
    </form>
    <p class="row"><button id="webhook-save" type="button">Save the targets to the configuration file</button>
    <span class="hint">POST /_sim/webhooks/save: written into the file the simulator started with (comments kept), so a restart has them</span></p>
    <div id="webhook-result" aria-live="polite"></div>
  </section>
  <section id="faults" aria-labelledby="faults-heading">
    <h2 id="faults-heading">Mock CRM faults <span class="hint">until removed · <a href="/_sim/crm/faults">GET /_sim/crm/faults</a></span></h2>
    <div id="faults-body"></div>
    <form id="fault-form" novalidate>
      <fieldset>
        <legend>Add a fault rule (POST /_sim/crm/faults)</legend>
        <div class="params">
          <div><label for="fault-route">Route</label>
          <select id="fault-route"><option value="*">* (every route)</option>
${MOCK_CRM_ROUTES.map((r) => `          <option value="${r}">${r}</option>`).join('\n')}
          </select></div>
          <div><label for="fault-kind">Kind</label>
          <select id="fault-kind">
${FAULT_KINDS.map((k) => `          <option value="${k}">${k}</option>`).join('\n')}
          </select></div>
          <div><label for="fault-status">Status <span class="muted">(kind status)</span></label>
          <input id="fault-status" type="number" min="400" max="599" value="500"></div>
          <div><label for="fault-latency">Latency, ms <span class="muted">(kind latency)</span></label>
          <input id="fault-latency" type="number" min="0" placeholder="11000"></div>
          <div><label for="fault-probability">Probability <span class="muted">(0–1)</span></label>
          <input id="fault-probability" type="number" min="0" max="1" step="0.05" value="1"></div>
          <div><label for="fault-times">At most, times <span class="muted">(optional)</span></label>
          <input id="fault-times" type="number" min="1"></div>
        </div>
        <p class="row"><button class="primary" id="fault-add" type="submit">Add</button>
        <button id="fault-clear" type="button">Remove every rule</button></p>
      </fieldset>
    </form>
    <div id="fault-result" aria-live="polite"></div>
  </section>
  <section id="embed" aria-labelledby="embed-heading">
    <h2 id="embed-heading">Embed the agent adapter</h2>
    <p>The platform shows its agent adapter inside your CRM page as an iframe and posts every event to the
    parent window as a JSON string <code>{"type", "data"}</code>. Point the iframe at the simulator:</p>
    <pre tabindex="0">&lt;iframe src="<span class="origin">http://127.0.0.1:4010</span>/agent/?type=chat&amp;from=custom"&gt;&lt;/iframe&gt;</pre>
    <p>(<code>type=call</code> for calls.) Then listen in the parent page, checking the origin:</p>
    <pre id="embed-snippet" tabindex="0">${snippet}</pre>
    <p>Headless consumers read the same events from <code>GET /events</code> or <code>/ws</code>, or as webhooks.
    The control API is described by <a href="/openapi.json">/openapi.json</a>.</p>
    <p><button type="button" id="embed-toggle" aria-expanded="false">Try it here</button></p>
    <div id="embed-demo"></div>
  </section>
</main>
<script>${options.script}</script>
</body>
</html>
`
}
