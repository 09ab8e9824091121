import type { CrmEndpoints } from './endpoint-config.js'

/** What agents get from a set of configured endpoints. */
export interface GenericApiCapabilities {
  /** Find an account by query and Create an account are both configured. */
  readonly accountLookup: boolean
  /** Find an account by ID is configured, its URL holds `{ACCOUNT_ID}`, and account lookup is on. */
  readonly findAccountById: boolean
  /** Account lookup and Find a record by query. */
  readonly recordLookup: boolean
  /** Account lookup and Create a record. */
  readonly recordCreation: boolean
  /** Record creation and Update a record. */
  readonly recordUpdate: boolean
  /** Record creation and Upload a file. */
  readonly fileUpload: boolean
  /** Record creation and Comment. */
  readonly comments: boolean
}

/**
 * Works out which features the configured endpoints enable, following the documents' chain:
 * account lookup needs find + create account; record lookup or creation needs account setup;
 * update, upload and comment need record setup (read here as Create a record, since finding
 * is optional when records are not re-used). Find by ID is skipped when its URL lacks the id.
 *
 * @example
 * const { recordUpdate } = genericApiCapabilities(settings.endpoints)
 */
export function genericApiCapabilities(endpoints: CrmEndpoints): GenericApiCapabilities {
  const accountLookup = endpoints.find_account_by_query != null && endpoints.create_account != null
  const byId = endpoints.find_account_by_id
  const recordCreation = accountLookup && endpoints.create_record != null
  return {
    accountLookup,
    findAccountById: accountLookup && byId != null && byId.url.includes('{ACCOUNT_ID}'),
    recordLookup: accountLookup && endpoints.find_record_by_query != null,
    recordCreation,
    recordUpdate: recordCreation && endpoints.update_record != null,
    fileUpload: recordCreation && endpoints.upload_file != null,
    comments: recordCreation && endpoints.comment != null,
  }
}
