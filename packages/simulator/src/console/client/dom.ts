/*
 * DOM helpers. Every piece of data reaches the page as a text node or through an attribute
 * setter, never as markup: payload strings are generated and, in a replayed demo, may be anything.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[]

export type Attrs = Readonly<
  Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>
>

/** Only same-origin paths become links: a payload can never smuggle a `javascript:` URL in. */
export function safeHref(value: string): string {
  return value.startsWith('/') && !value.startsWith('//') ? value : '#'
}

function append(el: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    if (typeof child === 'string' || typeof child === 'number') {
      el.append(document.createTextNode(String(child)))
    } else if (child instanceof Node) el.append(child)
    else append(el, child)
  }
}

/** An element: `text` sets its text, `on<event>` adds a listener, `class`/`href` as named. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  // A <pre> scrolls (overflow: auto): keyboard users reach it to scroll it (WCAG 2.1.1).
  if (tag === 'pre') el.tabIndex = 0
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue
    if (typeof value === 'function') el.addEventListener(key.slice(2), value)
    else if (key === 'class') el.className = String(value)
    else if (key === 'text') el.textContent = String(value)
    else if (key === 'href' || key === 'src') el.setAttribute(key, safeHref(String(value)))
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  append(el, children)
  return el
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller knows the element's kind
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id)
  if (el === null) throw new Error(`the page has no #${id}`)
  return el as T
}

export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren()
  append(el, children)
}

/** `HH:MM:SS` of an ISO time or epoch ms (virtual time is UTC). */
export function time(value: string | number): string {
  const ms = typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(ms)) return String(value)
  return new Date(ms).toISOString().slice(11, 19)
}

export function chip(text: string, tone?: 'ok' | 'warn' | 'bad' | 'info'): HTMLSpanElement {
  return h('span', { class: tone === undefined ? 'chip' : `chip ${tone}`, text })
}

export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2)
}

/** A body as the journal holds it (text): pretty-printed when it is JSON, else as it came. */
export function prettyBody(text: string): string {
  try {
    return pretty(JSON.parse(text))
  } catch {
    return text
  }
}

export function storageHref(path: string): string {
  return `/storage/${path.split('/').map(encodeURIComponent).join('/')}`
}

/**
 * A `<details>` whose open state survives re-renders (polling re-draws panels): `open` keys are
 * remembered in `keys`. The body is built only when opened, so long lists stay cheap.
 */
export function disclosure(
  keys: Set<string>,
  key: string,
  view: { readonly summary: Child[]; readonly body: () => Child; readonly attrs?: Attrs },
): HTMLDetailsElement {
  const { summary, body, attrs = {} } = view
  const details = h('details', { ...attrs, 'data-key': key }, h('summary', {}, ...summary))
  let built = false
  const build = (): void => {
    if (built) return
    built = true
    append(details, [body()])
  }
  if (keys.has(key)) {
    details.open = true
    build()
  }
  details.addEventListener('toggle', () => {
    if (details.open) {
      keys.add(key)
      build()
    } else keys.delete(key)
  })
  return details
}

export function plural(count: number, word: string): string {
  return `${String(count)} ${word}${count === 1 ? '' : 's'}`
}
