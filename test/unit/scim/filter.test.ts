import { FilterSyntaxError, parseFilter, parsePatchPath } from '../../../src/scim/filter/parser';
import { escapeLike, filterToSql, sortExpression } from '../../../src/scim/filter/sql';
import { groupResourceType, userResourceType } from '../../../src/scim/schema/resource-schemas';
import { ScimError } from '../../../src/scim/errors';

const sql = (filter: string) => filterToSql(userResourceType, parseFilter(filter));

function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('filter parser', () => {
  it('parses every comparison operator, case-insensitively', () => {
    for (const op of ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Sw']) {
      expect(parseFilter(`title ${op} "x"`)).toEqual({
        kind: 'compare',
        path: 'title',
        op: op.toLowerCase(),
        value: 'x',
      });
    }
    expect(parseFilter('title pr')).toEqual({ kind: 'present', path: 'title' });
  });

  it('gives "not" the highest, "and" higher than "or" precedence', () => {
    const node = parseFilter('a eq "1" or b eq "2" and not (c eq "3")');
    expect(node).toEqual({
      kind: 'or',
      left: { kind: 'compare', path: 'a', op: 'eq', value: '1' },
      right: {
        kind: 'and',
        left: { kind: 'compare', path: 'b', op: 'eq', value: '2' },
        right: { kind: 'not', operand: { kind: 'compare', path: 'c', op: 'eq', value: '3' } },
      },
    });
  });

  it('parses grouping, complex value filters and URN-qualified names', () => {
    expect(parseFilter('(a eq 1 or b eq true) and emails[type eq "work" and value co "@x"]')).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'valuePath', path: 'emails', filter: { kind: 'and' } },
    });
    expect(
      parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"'),
    ).toMatchObject({
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
    });
  });

  it('reads JSON string escapes, numbers, booleans and null', () => {
    expect(parseFilter('title eq "a \\"quoted\\" \\u00e9"')).toMatchObject({ value: 'a "quoted" é' });
    expect(parseFilter('x eq 12.5')).toMatchObject({ value: 12.5 });
    expect(parseFilter('x eq False')).toMatchObject({ value: false });
    expect(parseFilter('x eq null')).toMatchObject({ value: null });
  });

  it('accepts unquoted values where unambiguous (as some Microsoft material sends)', () => {
    expect(parseFilter('userName eq john@example.com and active eq true')).toMatchObject({
      kind: 'and',
      left: { value: 'john@example.com' },
      right: { value: true },
    });
  });

  it.each([
    ['', 'empty'],
    ['userName eq', 'expected a value'],
    ['userName equals "x"', 'not an operator'],
    ['userName eq "x', 'unterminated'],
    ['(userName eq "x"', '")"'],
    ['userName eq "x" and', 'ends where an expression'],
    ['userName eq "x")', 'unexpected'],
    ['emails[type eq "work"', '"]"'],
    ['"x" eq userName', 'attribute name'],
    ['emails[type eq "a" and x[y eq "b"]]', 'cannot contain another'],
  ])('refuses %j', (filter, message) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
    expect(() => parseFilter(filter)).toThrow(message);
  });

  it('limits depth, length and the number of comparisons', () => {
    expect(() => parseFilter('('.repeat(100) + 'a eq 1' + ')'.repeat(100))).toThrow('deeper');
    expect(() => parseFilter(Array.from({ length: 300 }, (_, i) => `a eq ${i}`).join(' or '))).toThrow('more than 200');
    expect(() => parseFilter('a eq "' + 'x'.repeat(20_000) + '"')).toThrow('longer');
  });

  it('parses PATCH paths with filters and sub-attributes', () => {
    expect(parsePatchPath('emails[type eq "work"].value')).toMatchObject({
      attributePath: 'emails',
      filter: { kind: 'compare', path: 'type', value: 'work' },
      subAttribute: 'value',
    });
    expect(parsePatchPath('members[value eq "a]b"]')).toMatchObject({
      attributePath: 'members',
      filter: { value: 'a]b' },
    });
    expect(parsePatchPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber')).toEqual({
      attributePath: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
    });
    expect(() => parsePatchPath('emails[type eq "work"]value')).toThrow(FilterSyntaxError);
    expect(() => parsePatchPath('emails[type eq "work"')).toThrow('closing');
  });
});

describe('filter to SQL', () => {
  it('matches userName case-insensitively through lower(email), the unique index expression', () => {
    expect(sql('userName eq "Alice@Example.com"')).toEqual({
      sql: '(lower(u.email) = lower(?))',
      bindings: ['Alice@Example.com'],
    });
  });

  it('compares case-exact attributes exactly', () => {
    expect(sql('externalId eq "AbC"')).toEqual({ sql: '(u.external_id = ?)', bindings: ['AbC'] });
  });

  it('escapes LIKE wildcards in co, sw and ew', () => {
    expect(escapeLike('50%_\\')).toBe('50\\%\\_\\\\');
    expect(sql('displayName co "50%"')).toEqual({
      sql: "(lower(u.display_name) like lower(?) escape '\\')",
      bindings: ['%50\\%%'],
    });
    expect(sql('displayName sw "a"').bindings).toEqual(['a%']);
    expect(sql('displayName ew "a"').bindings).toEqual(['%a']);
  });

  it('reads json-stored attributes from the scim column, extension attributes under their URN', () => {
    expect(sql('title eq "CEO"').sql).toBe("(lower((u.scim ->> 'title')) = lower(?))");
    expect(sql('name.middleName pr').sql).toBe("(nullif((u.scim -> 'name' ->> 'middleName'), '') is not null)");
    expect(sql('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"').sql).toBe(
      "(lower((u.scim -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' ->> 'employeeNumber')) = lower(?))",
    );
    expect(sql('URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:USERNAME eq "a"').sql).toBe('(lower(u.email) = lower(?))');
  });

  it('compares dates as timestamps and refuses non-dates', () => {
    expect(sql('meta.lastModified gt "2026-01-01T00:00:00Z"')).toEqual({
      sql: '(u.updated_at > ?::timestamptz)',
      bindings: ['2026-01-01T00:00:00.000Z'],
    });
    expect(scimError(() => sql('meta.created gt "yesterday"')).scimType).toBe('invalidFilter');
    expect(scimError(() => sql('meta.created co "2026"')).scimType).toBe('invalidFilter');
  });

  it('compares booleans, accepting "True"/"False" strings', () => {
    expect(sql('active eq "False"')).toEqual({ sql: '(u.active = ?)', bindings: [false] });
    expect(scimError(() => sql('active gt true')).scimType).toBe('invalidFilter');
  });

  it('filters multi-valued attributes with EXISTS over their elements, including the primary email', () => {
    const fragment = sql('emails[type eq "work" and value co "@x"]');
    expect(fragment.sql).toContain('exists (select 1 from jsonb_array_elements(');
    expect(fragment.sql).toContain('u.email');
    expect(fragment.sql).toContain("(lower((e1.v ->> 'type')) = lower(?))");
    expect(fragment.bindings).toEqual(['work', '%@x%']);
    expect(sql('emails eq "a@x"').sql).toContain("(lower((e1.v ->> 'value')) = lower(?))");
    expect(sql('phoneNumbers.type eq "mobile"').sql).toContain("coalesce((u.scim -> 'phoneNumbers'), '[]'::jsonb)");
  });

  it('filters a user by group and a group by member through the membership table', () => {
    const byGroup = sql('groups.value eq "0b8f2c36-4b5e-4c4b-9d3f-1f2a3b4c5d6e"');
    expect(byGroup.sql).toContain('from directory_group_member e1_m join directory_group e1');
    expect(byGroup.sql).toContain('(e1.id = ?::uuid)');
    const byMember = filterToSql(
      groupResourceType,
      parseFilter('members[value eq "0b8f2c36-4b5e-4c4b-9d3f-1f2a3b4c5d6e"]'),
    );
    expect(byMember.sql).toContain('e1_m.directory_group_id = g.id');
  });

  it('treats an id that is not a UUID as matching nothing (ids are opaque)', () => {
    expect(sql('id eq "not-a-uuid"')).toEqual({ sql: '(false)', bindings: [] });
    expect(sql('id eq "0B8F2C36-4B5E-4C4B-9D3F-1F2A3B4C5D6E"').sql).toBe('(u.id = ?::uuid)');
  });

  it('makes "not" and "ne" true for absent attributes', () => {
    expect(sql('not (title eq "x")').sql).toBe("(not coalesce((lower((u.scim ->> 'title')) = lower(?)), false))");
    expect(sql('title ne "x"').sql).toBe("(not coalesce((lower((u.scim ->> 'title')) = lower(?)), false))");
  });

  it('never emits a bare ? other than placeholders', () => {
    const fragment = sql('emails[type eq "w?rk"] or userName sw "?" or title pr');
    expect(fragment.sql.split('?').length - 1).toBe(fragment.bindings.length);
  });

  it('answers 400 invalidFilter with the known attributes for an unknown attribute', () => {
    const error = scimError(() => sql('shoeSize eq "9"'));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toContain('shoeSize');
    expect(error.detail).toContain('userName');
    expect(scimError(() => sql('emails[shoe eq "x"]')).detail).toContain('no sub-attribute');
    expect(scimError(() => sql('name eq "x"')).detail).toContain('complex');
    expect(scimError(() => sql('meta.location eq "x"')).scimType).toBe('invalidFilter');
  });

  it('sorts by declared attributes', () => {
    expect(sortExpression(userResourceType, 'userName')).toBe('lower(u.email)');
    expect(sortExpression(userResourceType, 'meta.created')).toBe('u.created_at');
    expect(sortExpression(userResourceType, 'emails')).toContain('jsonb_array_elements');
    expect(scimError(() => sortExpression(userResourceType, 'nope')).scimType).toBe('invalidValue');
  });
});
