import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Serves Entra's matching query by work email (`emails[type eq "work"].value eq "…"`), which otherwise reads every
 * user of the tenant, once per user in a provisioning cycle. scim_user_email_values(document) holds lower() of the
 * string `value` of every object element of `emails` (an object alone counts as one element, as the filter compiler
 * reads it); the compiler ANDs `… @> ARRAY[lower($n)]` to an `eq` on emails.value, which this GIN index answers.
 */
export class UserEmailValues1733600000000 implements MigrationInterface {
  name = 'UserEmailValues1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION scim_user_email_values(document jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(lower(e.v ->> 'value')), '{}')
          FROM jsonb_array_elements(CASE WHEN jsonb_typeof(document -> 'emails') = 'array' THEN document -> 'emails'
                                         WHEN jsonb_typeof(document -> 'emails') = 'object' THEN jsonb_build_array(document -> 'emails')
                                         ELSE '[]'::jsonb END) AS e(v)
         WHERE jsonb_typeof(e.v) = 'object' AND jsonb_typeof(e.v -> 'value') = 'string'
      $$`);
    await q.query(`CREATE INDEX scim_users_email_values ON scim_users USING gin (scim_user_email_values(document))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX scim_users_email_values`);
    await q.query(`DROP FUNCTION scim_user_email_values(jsonb)`);
  }
}
