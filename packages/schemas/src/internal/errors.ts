/** The closed list of error codes `@ccai-sim/schemas` throws. */
export const SCHEMAS_ERROR_CODES = {
  UNKNOWN_CONTRACT: 'UNKNOWN_CONTRACT',
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  INVALID_JSON: 'INVALID_JSON',
  INVALID_STORAGE_PATH: 'INVALID_STORAGE_PATH',
  DUPLICATE_CONTRACT: 'DUPLICATE_CONTRACT',
} as const

export type SchemasErrorCode = keyof typeof SCHEMAS_ERROR_CODES

/** The one error class of this package; `code` is stable, the message is for people. */
export class SchemasError extends Error {
  override readonly name = 'SchemasError'
  readonly code: SchemasErrorCode
  readonly details: unknown

  constructor(
    code: SchemasErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(
      `[schemas] ${message}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    )
    this.code = code
    this.details = options?.details
  }
}
