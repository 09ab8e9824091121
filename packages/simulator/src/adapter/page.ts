import { escapeHtml } from '../http/html.js'

/** What the adapter page needs to know when it is served. */
export interface AdapterPageOptions {
  /** The adapter type of the URL (`?type=`): which session events the page posts. */
  readonly type: 'call' | 'chat'
  /** The agent the page represents; `undefined`: every agent. */
  readonly agentId: number | undefined
  /** Where the agent came from, for the header: the URL, the configuration, or nowhere. */
  readonly agentSource: 'query' | 'config' | 'all'
  /** The event stream to subscribe to (relative to the page). */
  readonly eventsUrl: string
  /** Prefix of the session look-up, `sessions/` + id (relative to the page). */
  readonly sessionsUrl: string
  /** Prefix of the agent look-up of the agent controls, `agents/` + id (relative to the page). */
  readonly agentsUrl: string
  /** The control API the agent controls post to (relative to the page): the same machine as curl. */
  readonly controlUrl: string
  /** `?manual=1`: sessions started from the page wait for a person to play the agent. */
  readonly manual: boolean
  /** The scenarios of the page's kind, for its "start a session" form. */
  readonly scenarios: readonly { readonly name: string; readonly title: string }[]
}

/** Embeds a value in an inline script: JSON, with `<` escaped so no `</script>` can close the tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

const STYLE = `
:root { color-scheme: light dark; font: 14px/1.4 system-ui, sans-serif; }
body { margin: 0; }
header { padding: 8px 12px; background: #1a73e8; color: #fff; display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 15px; margin: 0; }
header .status { margin-left: auto; font-size: 12px; }
section { padding: 8px 12px; border-bottom: 1px solid #8884; }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .05em; margin: 0 0 4px; opacity: .7; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dt { opacity: .7; } dd { margin: 0; }
ol { list-style: none; margin: 0; padding: 0; max-height: 60vh; overflow: auto; }
li { display: flex; gap: 8px; padding: 2px 0; border-bottom: 1px dotted #8884; font-family: ui-monospace, monospace; font-size: 12px; }
li time { opacity: .7; } li .sid { opacity: .7; margin-left: auto; }
.empty { opacity: .6; font-style: italic; }
.note { font-size: 12px; opacity: .8; }
form, .controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 4px 0; }
.controls > span { display: inline-flex; gap: 4px; align-items: center; }
fieldset { border: 1px solid #8886; border-radius: 4px; margin: 6px 0; padding: 4px 8px; }
legend { font-weight: 600; font-size: 13px; }
input[type=text], input:not([type]) { min-width: 12em; }
input[type=number] { width: 7em; }
button:disabled { opacity: .45; }
#agent-status { min-height: 1.4em; margin: 4px 0; font-size: 13px; }
#agent-status[data-kind=error] { color: #c5221f; font-weight: 600; }
#agent-status[data-kind=ok] { color: #188038; }
`

/*
 * The page script. Kept in plain ES2017 without a build step: it runs as is in any browser the CRM
 * page supports. Events are handled one after another (a promise chain) so the parent receives them
 * in stream order even when a session's kind must first be looked up.
 */
const SCRIPT = `
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('adapter-config').textContent);
  var CALL_ONLY = ['New_Call', 'End_Call', 'Call_Redaction_Started', 'Call_Redaction_Stopped', 'Transfer_Call', 'Agent_Joined_Call'];
  var CHAT_ONLY = ['New_Chat', 'Active_Chat', 'Chat_Inbound_Message', 'Chat_Outbound_Message', 'End_Chat', 'Dismissed_Chat', 'Transfer_Chat', 'Agent_Joined_Chat'];
  var AGENT_ONLY = ['Agent_Login', 'Agent_Logout'];
  var STATE_BY_TYPE = {
    New_Call: 'ringing', New_Chat: 'new', Active_Chat: 'active', Agent_Joined_Call: 'connected', Agent_Joined_Chat: 'active',
    Transfer_Call: 'transferring', Transfer_Chat: 'transferring', End_Call: 'ended', End_Chat: 'ended', Dismissed_Chat: 'dismissed'
  };
  var root = document.documentElement;
  var statusEl = document.getElementById('status');
  var logEl = document.getElementById('log');
  var sessions = {};
  var current = null;
  var chain = Promise.resolve();
  var posted = 0;
  var skipped = 0;

  function setText(id, text) { document.getElementById(id).textContent = text; }

  function lookup(sessionId) {
    var s = sessions[sessionId];
    if (!s) {
      s = sessions[sessionId] = { id: sessionId, kind: null, info: null, state: '', fetched: null };
    }
    if (!s.fetched) {
      s.fetched = fetch(cfg.sessionsUrl + encodeURIComponent(sessionId), { headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (info) { if (info) { s.info = info; s.kind = s.kind || info.kind; } return s; })
        .catch(function () { return s; });
    }
    return s;
  }

  function kindFromType(type, data) {
    if (CALL_ONLY.indexOf(type) >= 0) return 'call';
    if (CHAT_ONLY.indexOf(type) >= 0) return 'chat';
    if (data && data.call_id != null) return 'call';
    if (data && data.chat_id != null) return 'chat';
    return null;
  }

  function renderSession() {
    var s = current && sessions[current];
    if (!s) return;
    setText('s-id', String(s.id));
    setText('s-kind', s.kind || '?');
    var info = s.info;
    setText('s-user', info && info.endUser ? info.endUser.name + (info.endUser.phone ? ' (' + info.endUser.phone + ')' : '') : '?');
    setText('s-queue', info && info.queue ? info.queue.path + ' (#' + info.queue.id + ')' : '?');
    setText('s-state', s.state || (info ? info.state : '?'));
  }

  function log(message, event, note) {
    var empty = document.getElementById('log-empty');
    if (empty) empty.remove();
    var li = document.createElement('li');
    var time = document.createElement('time');
    time.dateTime = message.at;
    time.textContent = message.at.slice(11, 19);
    var type = document.createElement('b');
    type.textContent = event.type;
    var sid = document.createElement('span');
    sid.className = 'sid';
    sid.textContent = (note ? note + ' · ' : '') + 'session ' + message.sessionId + (message.agentId != null ? ' · agent ' + message.agentId : '');
    li.appendChild(time); li.appendChild(type); li.appendChild(sid);
    li.dataset.type = event.type;
    li.dataset.posted = note ? 'false' : 'true';
    if (note) li.style.opacity = '0.5';
    logEl.insertBefore(li, logEl.firstChild);
    while (logEl.children.length > 500) logEl.removeChild(logEl.lastChild);
  }

  function handle(message) {
    var event = message.payload;
    if (!event || typeof event.type !== 'string') return Promise.resolve();
    if (AGENT_ONLY.indexOf(event.type) >= 0) { post(message, event); return Promise.resolve(); }
    var s = lookup(message.sessionId);
    var kind = kindFromType(event.type, event.data);
    if (kind && !s.kind) s.kind = kind;
    return s.fetched.then(function () {
      var decided = s.kind;
      if (STATE_BY_TYPE[event.type]) s.state = STATE_BY_TYPE[event.type];
      if (decided === cfg.type) { current = message.sessionId; post(message, event); }
      else { skipped += 1; log(message, event, 'not posted (' + (decided || 'unknown') + ' session)'); }
      renderSession();
      showCounts();
    });
  }

  function post(message, event) {
    // Exactly as the platform's adapter: the parent receives the event as a JSON string.
    window.parent.postMessage(JSON.stringify(event), '*');
    posted += 1;
    root.dataset.posted = String(posted);
    log(message, event, '');
    showCounts();
  }

  function showCounts() { setText('counts', posted + ' posted' + (skipped ? ', ' + skipped + ' not posted' : '')); }

  function onMessage(e) {
    var message;
    try { message = JSON.parse(e.data); } catch (err) { return; }
    chain = chain.then(function () { return handle(message); }).catch(function () {});
    // What the agent holds may have changed (the controls' view of it).
    chain.then(function () { refresh(); });
  }

  var source = new EventSource(cfg.eventsUrl);
  source.addEventListener('open', function () {
    root.dataset.ready = 'true';
    statusEl.textContent = 'connected';
  });
  source.addEventListener('error', function () {
    root.dataset.ready = 'false';
    statusEl.textContent = source.readyState === 2 ? 'disconnected' : 'reconnecting…';
  });
  source.addEventListener('adapter', onMessage);
  source.addEventListener('vta', onMessage);

  // ---- Agent controls. Every button posts to the control API (cfg.controlUrl, i.e. /_sim/):
  // the same session machine as curl and the scripted agents, no second code path. What a
  // command may do is the machine's call: a refusal (409 invalid_command) is shown, never hidden.
  var agentIdEl = document.getElementById('agent-id');
  var presenceEl = document.getElementById('presence');
  var agentStatus = document.getElementById('agent-status');
  var agentSessionsEl = document.getElementById('agent-sessions');
  var rows = {};
  var refreshing = null;
  var refreshAgain = false;

  function chosenAgent() {
    var v = agentIdEl.value.trim();
    return /^[1-9][0-9]{0,8}$/.test(v) ? Number(v) : null;
  }

  function say(text, kind, sessionId) {
    agentStatus.textContent = text;
    agentStatus.dataset.kind = kind;
    if (sessionId != null) agentStatus.dataset.session = String(sessionId);
  }

  function control(path, body) {
    return fetch(cfg.controlUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (err) { data = null; }
        if (r.ok) return data;
        var p = data && typeof data === 'object' ? data : {};
        var error = new Error(String(p.detail || p.title || text.slice(0, 300) || 'HTTP ' + r.status));
        error.status = r.status;
        error.type = String(p.type || 'http_' + r.status);
        throw error;
      });
    });
  }

  // Runs one command and says how it went; \`done\` words the success from the answer.
  function act(label, path, body, done) {
    say(label + '…', 'pending');
    return control(path, body).then(function (data) {
      say(done ? done(data) : label + ': done', 'ok', done && data ? data.id : null);
      refresh();
      return data;
    }, function (error) {
      say(error.status
        ? label + ' refused (' + error.status + ' ' + error.type + '): ' + error.message
        : label + ' failed: the simulator is not reachable (' + error.message + ')', 'error');
      refresh();
      return null;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) node.setAttribute(k, attrs[k]);
    if (text != null) node.textContent = text;
    return node;
  }

  function labelled(text, input) {
    var label = el('label', { for: input.id }, text);
    var span = el('span', {});
    span.appendChild(label); span.appendChild(input);
    return span;
  }

  function sessionCommand(s, command, label, body) {
    var agentId = chosenAgent();
    var payload = { agentId: agentId };
    for (var k in body || {}) if (Object.prototype.hasOwnProperty.call(body, k)) payload[k] = body[k];
    return act(label + ' (session ' + s.id + ')', 'sessions/' + encodeURIComponent(String(s.id)) + '/' + command, payload);
  }

  function numberOrNothing(input) {
    var v = input.value.trim();
    return v === '' ? undefined : Number(v);
  }

  function buildRow(s) {
    var id = String(s.id);
    var r = { session: s, buttons: {} };
    r.el = el('fieldset', { id: 'agent-session-' + id, 'data-session': id, 'data-kind': s.kind });
    r.legend = el('legend', {});
    r.el.appendChild(r.legend);
    var bar = el('div', { class: 'controls' });
    function button(command, text, body) {
      var b = el('button', { type: 'button', 'data-command': command }, text);
      b.addEventListener('click', function () { sessionCommand(r.session, command, text, body ? body() : {}); });
      r.buttons[command] = b;
      bar.appendChild(b);
    }
    button('accept', 'Accept');
    button('decline', 'Decline');
    if (s.kind === 'call') { button('hold', 'Hold'); button('resume', 'Resume'); }
    button('join', 'Join transfer');
    button('leave', 'Leave');
    button('end', 'End');
    if (s.kind === 'chat') button('dismiss', 'Dismiss');
    r.el.appendChild(bar);

    var disposition = el('input', { id: 'disposition-' + id, value: 'Resolved', maxlength: '200' });
    var wrap = el('div', { class: 'controls' });
    wrap.appendChild(labelled('Disposition', disposition));
    r.el.appendChild(wrap);
    var wrapButton = el('button', { type: 'button', 'data-command': 'finish_wrapup' }, 'Finish wrap-up');
    wrapButton.addEventListener('click', function () {
      sessionCommand(r.session, 'finish_wrapup', 'Finish wrap-up', { disposition: disposition.value });
    });
    r.buttons.finish_wrapup = wrapButton;
    wrap.appendChild(wrapButton);

    var toAgent = el('input', { id: 'transfer-agent-' + id, type: 'number', min: '1' });
    var toQueue = el('input', { id: 'transfer-queue-' + id, type: 'number', min: '1', value: String(s.queue.id) });
    var how = el('select', { id: 'transfer-how-' + id });
    how.appendChild(el('option', { value: 'warm' }, 'warm'));
    how.appendChild(el('option', { value: 'cold' }, 'cold'));
    var transfer = el('form', { class: 'controls', 'aria-label': 'Transfer session ' + id });
    transfer.appendChild(labelled('Transfer to agent', toAgent));
    transfer.appendChild(labelled('queue', toQueue));
    transfer.appendChild(labelled('how', how));
    var transferButton = el('button', { type: 'submit', 'data-command': 'transfer' }, 'Transfer');
    transfer.appendChild(transferButton);
    r.buttons.transfer = transferButton;
    transfer.addEventListener('submit', function (e) {
      e.preventDefault();
      sessionCommand(r.session, 'transfer', 'Transfer', {
        toAgentId: numberOrNothing(toAgent), toQueueId: numberOrNothing(toQueue), warm: how.value === 'warm'
      });
    });
    r.el.appendChild(transfer);

    if (s.kind === 'chat') {
      var text = el('input', { id: 'message-' + id, maxlength: '10000' });
      var chat = el('form', { class: 'controls', 'aria-label': 'Chat message, session ' + id });
      chat.appendChild(labelled('Message', text));
      var send = el('button', { type: 'submit', 'data-command': 'message' }, 'Send');
      chat.appendChild(send);
      r.buttons.message = send;
      chat.addEventListener('submit', function (e) {
        e.preventDefault();
        // Sent as typed: whether a text fits is the machine's call, and its refusal is shown.
        sessionCommand(r.session, 'message', 'Send message', { text: text.value }).then(function (ok) {
          if (ok) text.value = '';
        });
      });
      r.el.appendChild(chat);
    }
    return r;
  }

  function stateText(s) {
    if (s.offered) return 'offered to you';
    if (s.transferToMe) return 'transfer waiting for you';
    if (s.wrapUp) return 'ended, wrap-up';
    if (s.connected) return s.onHold ? 'connected, on hold' : 'connected';
    return s.phase;
  }

  function renderSessionRow(s) {
    var r = rows[s.id];
    if (!r) {
      r = rows[s.id] = buildRow(s);
      agentSessionsEl.appendChild(r.el);
    }
    r.session = s;
    r.legend.textContent = 'Session ' + s.id + ' · ' + s.kind + ' · ' + s.endUser.name + ' · ' + s.queue.path + ' · ' + stateText(s) + (s.agent === 'manual' ? '' : ' (scripted)');
    r.el.dataset.phase = s.phase;
    r.el.dataset.state = stateText(s);
    // Enabled when the state says the command can fit; the machine still decides.
    var enabled = {
      accept: s.offered, decline: s.offered,
      hold: s.connected && !s.onHold, resume: s.connected && s.onHold,
      join: s.transferToMe, leave: s.connected, end: s.connected, dismiss: s.ended,
      finish_wrapup: s.wrapUp, transfer: s.connected, message: s.connected
    };
    for (var command in r.buttons) {
      if (Object.prototype.hasOwnProperty.call(r.buttons, command)) r.buttons[command].disabled = !enabled[command];
    }
  }

  function renderAgent(info) {
    var presence = info ? info.presence : 'none';
    presenceEl.textContent = info ? presence.replace('_', ' ') + (info.reason && presence === 'unavailable' ? ' (' + info.reason + ')' : '') : 'no agent chosen';
    presenceEl.dataset.presence = presence;
    var buttons = document.querySelectorAll('button[data-presence]');
    for (var i = 0; i < buttons.length; i += 1) {
      var b = buttons[i];
      var loggedIn = info != null && presence !== 'logged_out';
      b.disabled = info == null || (b.dataset.presence === 'login' ? loggedIn : !loggedIn);
    }
    var seen = {};
    var sessions = info ? info.sessions : [];
    for (var j = 0; j < sessions.length; j += 1) { seen[sessions[j].id] = true; renderSessionRow(sessions[j]); }
    for (var id in rows) {
      if (Object.prototype.hasOwnProperty.call(rows, id) && !seen[id]) { rows[id].el.remove(); delete rows[id]; }
    }
    document.getElementById('agent-sessions-empty').hidden = sessions.length > 0;
  }

  // One look-up at a time; asked again meanwhile, it runs once more after.
  function refresh() {
    if (refreshing) { refreshAgain = true; return refreshing; }
    var agentId = chosenAgent();
    if (agentId === null) { renderAgent(null); return Promise.resolve(); }
    refreshing = fetch(cfg.agentsUrl + agentId, { headers: { accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (info) { if (info && chosenAgent() === agentId) renderAgent(info); })
      .catch(function () {})
      .then(function () {
        refreshing = null;
        if (refreshAgain) { refreshAgain = false; refresh(); }
      });
    return refreshing;
  }

  var presenceButtons = document.querySelectorAll('button[data-presence]');
  for (var p = 0; p < presenceButtons.length; p += 1) {
    presenceButtons[p].addEventListener('click', function (e) {
      var command = e.currentTarget.dataset.presence;
      var agentId = chosenAgent();
      if (agentId === null) {
        say('Agent id: expected a positive whole number, received "' + agentIdEl.value + '"', 'error');
        return;
      }
      act(e.currentTarget.textContent + ' (agent ' + agentId + ')', 'agents/' + agentId + '/' + command, {});
    });
  }
  agentIdEl.addEventListener('input', function () {
    for (var id in rows) if (Object.prototype.hasOwnProperty.call(rows, id)) { rows[id].el.remove(); delete rows[id]; }
    refresh();
  });

  document.getElementById('start-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var scenario = document.getElementById('start-scenario').value;
    var manual = document.getElementById('start-manual').checked;
    act('Start ' + scenario, 'sessions', { scenario: scenario, agent: manual ? 'manual' : 'scripted' }, function (data) {
      return 'Started session ' + data.id + ' (' + scenario + ', ' + (manual ? 'manual agent: it waits for you' : 'scripted agent') + ')';
    });
  });

  // The adapter has no event for an offer (New_Call / New_Chat come when the agent answers), so
  // the controls also look the agent up every second, besides after each event and command.
  setInterval(refresh, 1000);
  refresh();
})();
`

/** The agent adapter page: inline CSS and JS only, so it works offline and inside any CRM frame. */
export function adapterPageHtml(options: AdapterPageOptions): string {
  const agentText =
    options.agentSource === 'all'
      ? 'all agents (no ?agent= in the URL and no adapter.agentId configured)'
      : `${options.agentId ?? ''}${options.agentSource === 'config' ? ' (from adapter.agentId)' : ''}`
  const config = {
    type: options.type,
    agentId: options.agentId ?? null,
    eventsUrl: options.eventsUrl,
    sessionsUrl: options.sessionsUrl,
    agentsUrl: options.agentsUrl,
    controlUrl: options.controlUrl,
    manual: options.manual,
  }
  const scenarioOptions = options.scenarios
    .map(
      (s) =>
        `<option value="${escapeHtml(s.name)}">${escapeHtml(`${s.name}: ${s.title}`)}</option>`,
    )
    .join('')
  return `<!doctype html>
<html lang="en" data-ready="false" data-posted="0">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccai-sim agent adapter (${options.type})</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Agent adapter · ${options.type}</h1>
  <span>Agent: <span id="agent">${escapeHtml(agentText)}</span></span>
  ${options.manual ? '<span>manual: sessions started here wait for you</span>' : ''}
  <span class="status" id="status">connecting…</span>
</header>
<section aria-labelledby="agent-h">
  <h2 id="agent-h">Agent controls</h2>
  <div class="controls">
    <label for="agent-id">Agent id</label>
    <input id="agent-id" type="number" min="1" value="${options.agentId === undefined ? '' : String(options.agentId)}">
    <span>Presence: <b id="presence" data-presence="none">…</b></span>
    <button type="button" data-presence="login">Log in</button>
    <button type="button" data-presence="available">Available</button>
    <button type="button" data-presence="unavailable">Unavailable</button>
    <button type="button" data-presence="logout">Log out</button>
  </div>
  <form id="start-form" aria-label="Start a session">
    <label for="start-scenario">Start a ${options.type}</label>
    <select id="start-scenario">${scenarioOptions}</select>
    <input id="start-manual" type="checkbox"${options.manual ? ' checked' : ''}>
    <label for="start-manual">agent by hand (manual)</label>
    <button type="submit">Start</button>
  </form>
  <p id="agent-status" role="status" aria-live="polite"></p>
  <div id="agent-sessions"></div>
  <p id="agent-sessions-empty" class="empty">No session offered to or held by this agent.</p>
</section>
<section aria-labelledby="session-h">
  <h2 id="session-h">Current session</h2>
  <dl>
    <dt>Id</dt><dd id="s-id">none yet</dd>
    <dt>Kind</dt><dd id="s-kind"></dd>
    <dt>End user</dt><dd id="s-user"></dd>
    <dt>Queue</dt><dd id="s-queue"></dd>
    <dt>State</dt><dd id="s-state"></dd>
  </dl>
</section>
<section aria-labelledby="log-h">
  <h2 id="log-h">Events (newest first) · <span id="counts">0 posted</span></h2>
  <p class="note">Each ${options.type} event is posted to the parent window as a JSON string, as the platform does.</p>
  <ol id="log"><li id="log-empty" class="empty">Waiting for events…</li></ol>
</section>
<script type="application/json" id="adapter-config">${scriptJson(config)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`
}
