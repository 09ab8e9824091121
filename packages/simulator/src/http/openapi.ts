import { ProblemSchema, SCHEMAS_ERROR_CODES } from '@ccai-sim/schemas'
import { z } from 'zod'
import {
  ClockRequestSchema,
  ClockStateSchema,
  JournalQuerySchema,
  SessionSummarySchema,
  StartSessionRequestSchema,
} from '../control/schemas.js'
import { SIMULATOR_ERROR_CODES } from '../errors.js'
import {
  GcsBucketSchema,
  GcsListQuerySchema,
  GcsObjectListSchema,
  GcsObjectSchema,
} from '../storage/gcs-api.js'

function schema(value: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(value, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>
  delete json['$schema']
  return json
}

const problemResponse = {
  description: 'A problem (application/problem+json); `type` is one of the simulator error codes.',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
}

function queryParameters(value: z.ZodObject): Record<string, unknown>[] {
  return Object.entries(value.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: false,
    schema: schema(field as z.ZodType),
  }))
}

const bucketParameter = { name: 'bucket', in: 'path', required: true, schema: { type: 'string' } }
const objectParameter = {
  name: 'object',
  in: 'path',
  required: true,
  description: 'The object name, percent-encoded (`ujet-metadata%2Fcall-1.json`)',
  schema: { type: 'string' },
}
const altParameter = {
  name: 'alt',
  in: 'query',
  required: false,
  schema: { enum: ['json', 'media'] },
}

function json(description: string, component: string): Record<string, unknown> {
  return {
    description,
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${component}` } } },
  }
}

let cached: Record<string, unknown> | undefined

/** The control API and the read-only views, as OpenAPI 3.1, generated from the same Zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'ccai-sim simulator',
      version: '0.1.0',
      description: `Control API of the CCAI Platform simulator. Errors are problem+json with type one of: ${Object.keys(SIMULATOR_ERROR_CODES).join(', ')}.`,
    },
    components: {
      schemas: {
        Problem: schema(ProblemSchema),
        StartSessionRequest: schema(StartSessionRequestSchema),
        SessionSummary: schema(SessionSummarySchema),
        ClockRequest: schema(ClockRequestSchema),
        ClockState: schema(ClockStateSchema),
        GcsBucket: schema(GcsBucketSchema),
        GcsObject: schema(GcsObjectSchema),
        GcsObjectList: schema(GcsObjectListSchema),
      },
    },
    paths: {
      '/_sim/scenarios': {
        get: {
          summary: 'List the scenario presets',
          responses: { '200': { description: 'Scenarios' } },
        },
      },
      '/_sim/sessions': {
        get: {
          summary: 'List sessions',
          responses: {
            '200': {
              description: 'Sessions',
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/SessionSummary' } },
                },
              },
            },
          },
        },
        post: {
          summary: 'Start a scenario now (virtual time)',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/StartSessionRequest' } },
            },
          },
          responses: {
            '201': {
              description: 'Started',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/SessionSummary' } },
              },
            },
            '422': problemResponse,
          },
        },
      },
      '/_sim/sessions/{id}': {
        get: {
          summary: "A session's story, timeline across surfaces, emissions and files",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '200': { description: 'The session' }, '404': problemResponse },
        },
      },
      '/_sim/sessions/{id}/{command}': {
        post: {
          summary:
            'An agent command on the session (accept, decline, activate, message, hold, resume, transfer, join, leave, add_party, cobrowse_start, cobrowse_request, cobrowse_end, redaction_start, redaction_stop, smart_action, end, dismiss, finish_wrapup); the body names the agent (`agentId`)',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'command', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'The session summary after the command' },
            '404': problemResponse,
            '409': problemResponse,
            '422': problemResponse,
          },
        },
      },
      '/_sim/sessions/{id}/customer/{action}': {
        post: {
          summary:
            'A customer action on the session (message, end, abandon, escalate, csat, media_upload, cobrowse_answer, cobrowse_end)',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'action', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'The session summary after the action' },
            '404': problemResponse,
            '409': problemResponse,
            '422': problemResponse,
          },
        },
      },
      '/_sim/sessions/{id}/replay': {
        post: {
          summary:
            'Re-runs the session from its recorded inputs through the machine and projections, and compares with what was published',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: { '200': { description: 'The replay report' }, '404': problemResponse },
        },
      },
      '/_sim/agents': {
        get: {
          summary: 'The agents roster: presence, reason, the sessions each holds',
          responses: { '200': { description: 'The roster' } },
        },
      },
      '/_sim/agents/{id}/{command}': {
        post: {
          summary:
            "An agent's presence: login, logout, available, unavailable (body: optional reason)",
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'command', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': { description: 'The agent after the command' },
            '404': problemResponse,
            '409': problemResponse,
          },
        },
      },
      '/_sim/sessions/{id}/crm': {
        get: {
          summary:
            "The session's generic-API flow: planned actions and each step's outcome (succeeded, warning, failed, skipped, retrying, queued)",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '200': { description: 'The flow report' },
            '404': problemResponse,
          },
        },
      },
      '/_sim/crm/settings': {
        get: {
          summary:
            'The integration settings the sessions use (by default the mock CRM, with this server’s URL): a settings file for `ccai-sim run` and `ccai-contract crm`',
          responses: { '200': { description: 'crm.settings' } },
        },
      },
      '/_sim/crm/state': {
        get: {
          summary: "The mock CRM's accounts, records, comments and attachments (without bytes)",
          responses: { '200': { description: 'The mock CRM state' } },
        },
      },
      '/_sim/crm/reset': {
        post: {
          summary: 'Empty the mock CRM (`{ "faults": true }` also removes the fault rules)',
          responses: { '204': { description: 'Emptied' }, '422': problemResponse },
        },
      },
      '/_sim/crm/faults': {
        get: {
          summary: "The mock CRM's fault rules, with how often each was seen and fired",
          responses: { '200': { description: 'Fault rules' } },
        },
        post: {
          summary:
            'Add a fault rule: latency, status (400, 401, 404, 429, 500…), missing-id, malformed-json or connection-reset, per route, with probability and seed',
          responses: { '201': { description: 'The rule, with its id' }, '422': problemResponse },
        },
        delete: {
          summary: 'Remove every fault rule',
          responses: { '204': { description: 'Removed' } },
        },
      },
      '/_sim/crm/faults/{id}': {
        delete: {
          summary: 'Remove one fault rule',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '204': { description: 'Removed' }, '404': problemResponse },
        },
      },
      '/_sim/clock': {
        get: {
          summary: 'Read the virtual clock',
          responses: {
            '200': {
              description: 'Clock',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/ClockState' } },
              },
            },
          },
        },
        post: {
          summary: 'Advance or set the manual clock (runs everything due on the way)',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ClockRequest' } },
            },
          },
          responses: {
            '200': { description: 'Clock after the move' },
            '409': problemResponse,
            '422': problemResponse,
          },
        },
      },
      '/_sim/reset': {
        post: {
          summary: 'Forget every session, timer and stored file',
          responses: { '204': { description: 'Reset' } },
        },
      },
      '/_sim/journal': {
        get: {
          summary: 'Read the journal: every payload delivered and every delivery attempt (bounded)',
          parameters: queryParameters(JournalQuerySchema),
          responses: { '200': { description: 'Entries' }, '422': problemResponse },
        },
      },
      '/events': {
        get: {
          summary: 'Server-sent events: every emission (filters: surface, session, agent)',
          responses: { '200': { description: 'text/event-stream' } },
        },
      },
      '/ws': {
        get: {
          summary: 'WebSocket: every emission (same filters as /events)',
          responses: { '101': { description: 'Switching protocols' } },
        },
      },
      '/agent/': {
        get: {
          summary:
            'The agent adapter page, to embed as an iframe (type=call|chat&from=custom, optional agent=<id>, manual=1); its agent controls post to /_sim',
          responses: { '200': { description: 'HTML' } },
        },
      },
      '/storage/{path}': {
        get: {
          summary: 'Read-only view of external storage',
          parameters: [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'A file or a listing' }, '404': problemResponse },
        },
      },
      '/storage/v1/b/{bucket}': {
        get: {
          summary: 'Cloud Storage JSON API: the bucket (storage.serve.bucket, default ccai-sim)',
          parameters: [bucketParameter],
          responses: { '200': json('The bucket resource', 'GcsBucket'), '404': problemResponse },
        },
      },
      '/storage/v1/b/{bucket}/o': {
        get: {
          summary:
            'Cloud Storage JSON API: objects.list over the storage (object names are storage paths)',
          parameters: [bucketParameter, ...queryParameters(GcsListQuerySchema)],
          responses: {
            '200': json('Objects and rolled-up prefixes, a page at a time', 'GcsObjectList'),
            '404': problemResponse,
            '422': problemResponse,
          },
        },
      },
      '/storage/v1/b/{bucket}/o/{object}': {
        get: {
          summary:
            'Cloud Storage JSON API: objects.get; with alt=media, the bytes (Range honoured)',
          parameters: [bucketParameter, objectParameter, altParameter],
          responses: {
            '200': {
              description:
                'The object resource, or its bytes with alt=media (x-goog-hash: crc32c, md5)',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/GcsObject' } },
                'application/octet-stream': {},
              },
            },
            '206': { description: 'Part of the bytes (Range)' },
            '404': problemResponse,
          },
        },
      },
      '/download/storage/v1/b/{bucket}/o/{object}': {
        get: {
          summary: 'Cloud Storage JSON API: media download (the mediaLink of an object)',
          parameters: [bucketParameter, objectParameter, altParameter],
          responses: {
            '200': { description: 'The bytes', content: { 'application/octet-stream': {} } },
            '206': { description: 'Part of the bytes (Range)' },
            '404': problemResponse,
          },
        },
      },
      '/upload/storage/v1/b/{bucket}/o': {
        post: {
          summary:
            'Cloud Storage JSON API: objects.insert, single-request (uploadType=media with name, or multipart/related); what a gcs sink sends',
          parameters: [
            bucketParameter,
            {
              name: 'uploadType',
              in: 'query',
              required: true,
              schema: { enum: ['media', 'multipart'] },
            },
            { name: 'name', in: 'query', required: false, schema: { type: 'string' } },
          ],
          requestBody: { content: { 'multipart/related': {}, 'application/octet-stream': {} } },
          responses: {
            '200': json('The stored object', 'GcsObject'),
            '404': problemResponse,
            '422': problemResponse,
          },
        },
      },
      '/mail/': {
        get: { summary: 'The built-in mailbox', responses: { '200': { description: 'Messages' } } },
      },
    },
    'x-schemas-error-codes': Object.keys(SCHEMAS_ERROR_CODES),
  }
  return cached
}
