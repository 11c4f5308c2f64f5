/**
 * A PostgreSQL array literal for one `?::text[]` / `?::uuid[]` parameter. (knex would expand a JS array
 * into a list of parameters, which is not what a set operation over thousands of ids wants.)
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
