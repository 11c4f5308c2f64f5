import { FilterNode } from '../filter/parser';
import { badRequest } from '../errors';
import { isObject } from '../resources/values';
import { PatchOpName, PatchTarget } from './patch-engine';

/**
 * The net effect of a PATCH's member operations, folded in order so that it can be applied as set operations in
 * SQL without reading the member list: either "the members become exactly these" or "add these, remove those".
 */
export type MemberChanges =
  { kind: 'replace'; members: Set<string> } | { kind: 'delta'; add: Set<string>; remove: Set<string> };

export class MemberChangeCollector {
  private changes: MemberChanges = { kind: 'delta', add: new Set(), remove: new Set() };
  private touched = false;

  /** The folded changes, or undefined when the PATCH did not touch members. */
  result(): MemberChanges | undefined {
    return this.touched ? this.changes : undefined;
  }

  add(ids: string[]): void {
    this.touched = true;
    if (this.changes.kind === 'replace')
      ids.forEach((id) => this.changes.kind === 'replace' && this.changes.members.add(id));
    else
      for (const id of ids) {
        this.changes.add.add(id);
        this.changes.remove.delete(id);
      }
  }

  remove(ids: string[]): void {
    this.touched = true;
    if (this.changes.kind === 'replace')
      ids.forEach((id) => this.changes.kind === 'replace' && this.changes.members.delete(id));
    else
      for (const id of ids) {
        this.changes.remove.add(id);
        this.changes.add.delete(id);
      }
  }

  replace(ids: string[]): void {
    this.touched = true;
    this.changes = { kind: 'replace', members: new Set(ids) };
  }

  /** The RelationHandler for the PATCH engine: member operations in any of the forms clients send. */
  readonly handle = (op: PatchOpName, target: PatchTarget, value: unknown): void => {
    const sub = target.resolved.subAttribute;
    if (sub) {
      throw badRequest(
        'invalidPath',
        `"${target.label}": change members as a whole (path "members"), not "members.${sub.name}".`,
      );
    }
    if (target.filter) {
      const ids = memberIdsOfFilter(target.filter, target.label);
      if (op === 'remove') return this.remove(ids);
      if (op === 'replace') {
        this.remove(ids);
        return this.add(memberIdsOfValue(value, target.label));
      }
      throw badRequest(
        'invalidPath',
        `"${target.label}": add members with path "members" and a list of {"value": id}.`,
      );
    }
    if (op === 'add') return this.add(memberIdsOfValue(value, target.label));
    if (op === 'replace') return this.replace(memberIdsOfValue(value, target.label));
    if (value === undefined || value === null) return this.replace([]);
    return this.remove(memberIdsOfValue(value, target.label));
  };
}

/** Member ids are user ids (UUIDs); compare them in one letter case. */
const normalizeId = (id: string) => id.trim().toLowerCase();

export function memberIdsOfValue(value: unknown, label: string): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((member, index) => {
    if (typeof member === 'string') return normalizeId(member);
    const id = isObject(member) ? (member.value ?? member.Value) : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw badRequest('invalidValue', `"${label}" member ${index} must be an object with a "value" (the user's id).`);
    }
    return normalizeId(String(id));
  });
}

/** `members[value eq "a"]`, `members[value eq "a" or value eq "b"]`: the ids it names. */
export function memberIdsOfFilter(filter: FilterNode, label: string): string[] {
  if (filter.kind === 'or')
    return [...memberIdsOfFilter(filter.left, label), ...memberIdsOfFilter(filter.right, label)];
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    /^(members\.)?value$/i.test(filter.path) &&
    filter.value !== null
  ) {
    return [normalizeId(String(filter.value))];
  }
  throw badRequest(
    'invalidFilter',
    `"${label}": select members by id, e.g. members[value eq "<user id>"] (optionally joined with "or").`,
  );
}
