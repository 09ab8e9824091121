import { z } from 'zod'

/**
 * Basic authentication (portal: Basic authentication → Username, Password): the platform sends
 * `Authorization: Basic base64(username:password)` on every endpoint call.
 * @see seeds/000_2170762ce078838e.txt (API settings, Authentication method)
 * Confidence: documented.
 */
export const CrmBasicAuthenticationSchema = z.object({
  method: z.literal('basic'),
  username: z.string().min(1),
  password: z.string(),
})
export type CrmBasicAuthentication = z.infer<typeof CrmBasicAuthenticationSchema>

/** An HTTP header field name (RFC 9110 token). */
const HeaderNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an HTTP header name')

/**
 * One custom header (portal: Add Field → Field Key, Field Value), e.g. EspoCRM's
 * `X-Api-Key: <API key>`.
 * @see https://docs.cloud.google.com/contact-center/ccai-platform/docs/espo-example-implementation
 * Confidence: documented.
 */
export const CrmCustomHeaderFieldSchema = z.object({
  field_key: HeaderNameSchema,
  field_value: z.string(),
})
export type CrmCustomHeaderField = z.infer<typeof CrmCustomHeaderFieldSchema>

/**
 * Custom header authentication (portal: Custom header): any number of key/value pairs sent as
 * headers on every endpoint call.
 * @see seeds/000_2170762ce078838e.txt (API settings, Authentication method)
 * Confidence: documented.
 */
export const CrmCustomHeaderAuthenticationSchema = z.object({
  method: z.literal('custom_header'),
  fields: z.array(CrmCustomHeaderFieldSchema).min(1),
})
export type CrmCustomHeaderAuthentication = z.infer<typeof CrmCustomHeaderAuthenticationSchema>

/**
 * How the simulator obtains a token. Not a portal field: the documents name no grant type. The
 * portal's fields (Authorization URL, State, Access Type, redirect URL option) are those of the
 * authorization-code grant, which is what an absent value means; `client_credentials` lets a
 * headless simulator fetch tokens from the Token URL alone.
 */
export const OAUTH2_GRANT_TYPES = ['authorization_code', 'client_credentials'] as const

/**
 * OAuth 2.0 authentication (portal: OAuth). Portal label → key: Authorization URL →
 * `authorization_url`, Token URL → `token_url`, Client ID → `client_id`, Client Secret →
 * `client_secret`, Scope → `scope`, State → `state`, Access Type → `access_type` (free text, e.g.
 * `offline` to get a refresh token), "Include the Redirect URL as part of the Authorization URL and
 * Token URL" → `include_redirect_url`. The first four are required in the portal. The redirect URL's
 * value, token refresh and the grant type are not documented.
 * @see seeds/000_2170762ce078838e.txt (API settings, Authentication method)
 * Confidence: documented (fields); `grant_type` inferred.
 */
export const CrmOAuth2AuthenticationSchema = z.object({
  method: z.literal('oauth2'),
  authorization_url: z.url({ protocol: /^https?$/ }),
  token_url: z.url({ protocol: /^https?$/ }),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  scope: z.string().nullish(),
  state: z.string().nullish(),
  access_type: z.string().nullish(),
  include_redirect_url: z.boolean().nullish(),
  /** Not a portal field (see `OAUTH2_GRANT_TYPES`); absent means `authorization_code`. */
  grant_type: z.enum(OAUTH2_GRANT_TYPES).nullish(),
})
export type CrmOAuth2Authentication = z.infer<typeof CrmOAuth2AuthenticationSchema>

/**
 * The Authentication Method of the generic API, one of three, keyed by `method`.
 * @see seeds/000_2170762ce078838e.txt (API settings, Authentication method)
 * Confidence: documented.
 */
export const CrmAuthenticationSchema = z.discriminatedUnion('method', [
  CrmBasicAuthenticationSchema,
  CrmCustomHeaderAuthenticationSchema,
  CrmOAuth2AuthenticationSchema,
])
export type CrmAuthentication = z.infer<typeof CrmAuthenticationSchema>
