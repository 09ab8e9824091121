import { Hono } from 'hono'
import { z } from 'zod'
import { problem, problemFromError } from '../../http/problem.js'
import { jsonBody } from '../../http/validate.js'
import { FaultRuleSchema, type FaultController } from './faults.js'
import type { MockCrmStore } from './store.js'

const ResetRequestSchema = z.object({
  /** Also remove every fault rule. Default false: faults are configuration, state is data. */
  faults: z.boolean().optional(),
})

/**
 * The mock CRM's control surface, for the simulator's control API (mounted at `/_sim/crm`):
 * `GET /faults` (the rules, with `seen` and `fired` counts), `POST /faults` (add one rule → 201),
 * `DELETE /faults` (remove all → 204), `DELETE /faults/:id` (remove one → 204 or 404),
 * `GET /state` (`MockCrmStore.snapshot()`), `POST /reset` (empty the CRM; `{ "faults": true }`
 * also clears the faults → 204). Faults: the item 3; reference §5.4, §8.
 */
export function mockCrmControlRoutes(options: {
  readonly store: MockCrmStore
  readonly faults: FaultController
}): Hono {
  const { store, faults } = options
  const app = new Hono()
  app.onError((error, c) => problemFromError(c, error))

  app.get('/faults', (c) => c.json(faults.list()))
  app.post('/faults', async (c) => {
    const rule = await jsonBody(c, FaultRuleSchema)
    return c.json(faults.set(rule), 201)
  })
  app.delete('/faults', (c) => {
    faults.clear()
    return c.body(null, 204)
  })
  app.delete('/faults/:id', (c) => {
    const id = c.req.param('id')
    if (!faults.remove(id))
      return problem(c, 'not_found', `no fault rule ${id} (GET /faults lists them)`)
    return c.body(null, 204)
  })
  app.get('/state', (c) => c.json(store.snapshot()))
  app.post('/reset', async (c) => {
    const body = await jsonBody(c, ResetRequestSchema)
    store.reset()
    if (body.faults === true) faults.clear()
    await store.flush()
    return c.body(null, 204)
  })

  return app
}
