import type { Problem } from './api.js'
import { chip, h } from './dom.js'

/** A problem+json answer as an alert: its title, type and, per field, what was expected and came. */
export function problemBox(problem: Problem): HTMLDivElement {
  const issues = problem.issues ?? []
  const detail = problem.detail
  // A validation detail only repeats its issues, which are listed below by field.
  const showDetail = detail !== undefined && !issues.some((issue) => detail.includes(issue.message))
  return h(
    'div',
    { class: 'problem', role: 'alert' },
    h('strong', { text: problem.title ?? 'Error' }),
    problem.type === undefined ? null : [' ', chip(problem.type, 'bad')],
    showDetail ? h('div', { text: detail }) : null,
    issues.length === 0
      ? null
      : h(
          'ul',
          {},
          issues.map((issue) =>
            h(
              'li',
              {},
              h('code', { text: issue.path }),
              `: expected ${issue.expected}, received ${issue.received}`,
            ),
          ),
        ),
  )
}
