import type { z } from 'zod'

/** Surfaces, named as in DESIGN.md; every contract belongs to exactly one. */
export const CONTRACT_FAMILIES = [
  'adapter',
  'vta',
  'qm',
  'metadata',
  'transcript',
  'crm',
  'storage',
  'email',
  'apps-api',
  'harmony',
  'expertflow',
  'common',
] as const
export type ContractFamily = (typeof CONTRACT_FAMILIES)[number]

/**
 * How sure we are of a contract, as tagged in `reference/ccai-platform.md`:
 * `documented` — stated on a platform documentation page or seed;
 * `doc-example` — only visible in a vendor example payload;
 * `inferred` — our best inference where the documents are silent (see the README's known gaps).
 */
export const CONFIDENCE_LEVELS = ['documented', 'doc-example', 'inferred'] as const
export type Confidence = (typeof CONFIDENCE_LEVELS)[number]

/** Who sends and who receives a payload. */
export const PARTIES = [
  'ccai-platform',
  'crm',
  'crm-page',
  'qm-receiver',
  'external-storage',
  'inbox',
  'api-client',
  'dialogflow',
  'portal',
  'harmony-host',
  'harmony-app',
  'harmony-cti-plugin',
  'expertflow-server',
  'expertflow-agent-client',
] as const
export type Party = (typeof PARTIES)[number]

export const TRANSPORTS = [
  'postMessage',
  'http-request',
  'http-response',
  'http-webhook',
  'websocket',
  'tcp',
  'file',
  'smtp',
  'dialogflow-custom-payload',
  'configuration',
] as const
export type Transport = (typeof TRANSPORTS)[number]

/** A payload copied from a platform document (or built to its letter), kept as a data file. */
export interface GoldenExample {
  readonly contract: string
  readonly name: string
  /** The document and section it comes from: a URL, or `seed 000 §…`, or `reference §…`. */
  readonly source: string
  /** `false` when the example uses a documented alternate that only tolerant mode accepts. */
  readonly strict?: boolean
  readonly payload: unknown
}

export interface ContractSource {
  /** A documentation URL, or a seed file (`seeds/000_….txt`). */
  readonly document: string
  readonly section?: string
}

export interface ContractDefinition<TSchema extends z.ZodType = z.ZodType> {
  /** Stable id, `family.Name`: `adapter.New_Call`, `qm.CallState`, `crm.createRecord.request`. */
  readonly id: string
  readonly family: ContractFamily
  readonly title: string
  readonly direction: { readonly from: Party; readonly to: Party }
  readonly transport: Transport
  /** Written in tolerant form; strict and probe forms are derived (see `checkPayload`). */
  readonly schema: TSchema
  readonly source: ContractSource
  readonly confidence: Confidence
  /** Why the confidence is what it is, or what a reader should know. */
  readonly notes?: string
}

/** A catalog entry: its definition plus the golden examples kept in `src/golden/`. */
export interface Contract<
  TSchema extends z.ZodType = z.ZodType,
> extends ContractDefinition<TSchema> {
  readonly examples: readonly GoldenExample[]
}

/** Declares a contract; identity function that keeps the schema's type. */
export function defineContract<TSchema extends z.ZodType>(
  definition: ContractDefinition<TSchema>,
): ContractDefinition<TSchema> {
  return definition
}
