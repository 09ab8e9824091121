/*
 * An example CRM page that embeds the CCAI Platform agent adapter (seed 000, Agent adapters): one
 * iframe per adapter type, a message listener that trusts the adapter's origin only, and a record
 * pop that opens the record. Plain browser JavaScript, no build step.
 *
 * The adapter origin is your tenant's; `?adapter_origin=` overrides it (for a staging tenant).
 */
;(function () {
  'use strict'
  var params = new URLSearchParams(window.location.search)
  var ADAPTER_ORIGIN = params.get('adapter_origin') || 'https://acme.uc1.ccaiplatform.com'
  var activity = document.getElementById('activity')

  document.getElementById('ccai-call').src = ADAPTER_ORIGIN + '/agent/?type=call&from=custom'
  document.getElementById('ccai-chat').src = ADAPTER_ORIGIN + '/agent/?type=chat&from=custom'

  function text(id, value) {
    document.getElementById(id).textContent = value == null ? '' : String(value)
  }

  function log(line) {
    var item = document.createElement('li')
    item.textContent = line
    activity.insertBefore(item, activity.firstChild)
    while (activity.children.length > 200) activity.removeChild(activity.lastChild)
  }

  function sessionOf(data) {
    if (data.call_id != null) return 'call ' + data.call_id
    if (data.chat_id != null) return 'chat ' + data.chat_id
    return ''
  }

  function openRecord(url) {
    // Only web links: a javascript: URL from anywhere must never run here.
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return
    window.location.assign(url)
  }

  function handle(event) {
    var data = event.data && typeof event.data === 'object' ? event.data : {}
    switch (event.type) {
      case 'CRM_Record_Pop':
        openRecord(data.recordUrl)
        return
      case 'New_Call':
      case 'New_Chat':
        text('session', sessionOf(data))
        text('queue', data.queue_path)
        text('state', event.type === 'New_Call' ? 'ringing' : 'new')
        break
      case 'Agent_Joined_Call':
      case 'Agent_Joined_Chat':
        text('agent', data.agent_email || data.agent_id)
        text('state', 'connected')
        break
      case 'Transfer_Call':
      case 'Transfer_Chat':
        text('queue', data.to_queue_path)
        text('state', 'transferring')
        break
      case 'End_Call':
      case 'End_Chat':
      case 'Dismissed_Chat':
        text('state', 'ended')
        break
      case 'Task_VA_Variables_Received':
        log('VTA variables: ' + Object.keys(data.data_parameters || {}).join(', '))
        break
      default:
        break
    }
    log(event.type + (sessionOf(data) ? ' · ' + sessionOf(data) : ''))
  }

  window.addEventListener('message', function (message) {
    // Anyone can post to this window: only the adapter's origin is listened to.
    if (message.origin !== ADAPTER_ORIGIN) return
    var event
    try {
      event = typeof message.data === 'string' ? JSON.parse(message.data) : message.data
    } catch (error) {
      return
    }
    if (!event || typeof event.type !== 'string') return
    handle(event)
  })
})()
