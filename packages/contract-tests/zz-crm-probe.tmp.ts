import { generateStory, SCENARIO_NAMES } from '@ccai-sim/fixtures'
import { planCrmFlow } from '@ccai-sim/simulator'
import { UPLOAD_FILE_KINDS } from '@ccai-sim/schemas'
const settings: any = { crm_lookup_method: 'generic_api', phone_number_format: 'e164', request_timeout: 5, authentication: { method: 'basic', username: 'a', password: 'b' }, endpoints: { find_account_by_query: { url: 'http://x/a', method: 'GET' }, create_account: { url: 'http://x/a', method: 'POST' }, create_record: { url: 'http://x/r', method: 'POST' }, comment: { url: 'http://x/c', method: 'POST' }, update_record: { url: 'http://x/r/{RECORD_ID}', method: 'PATCH' }, upload_file: { url: 'http://x/u', method: 'POST', upload_type: 'multipart', files_to_attach: [...UPLOAD_FILE_KINDS], attachment_type: { type: 'attachment_url', attachment_url_location: 'url' } } } }
const t = performance.now()
for (const scenario of SCENARIO_NAMES) {
  for (const index of [0, 1]) {
    const story = generateStory(scenario, { seed: 7, index })
    const plan = planCrmFlow({ settings, story })
    console.log(scenario, index, story.endUser.phone, story.endUser.email, plan.actions.map((a) => a.kind === 'upload' ? `upload:${a.file.filename}:${a.file.bytes.byteLength}` : a.kind).join(','))
  }
}
console.log('ms', performance.now() - t)
