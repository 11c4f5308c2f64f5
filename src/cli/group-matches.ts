import type { GroupMatch } from '../domain/group/groups';

/**
 * Reads group matches from JSON (`[{ "groupName": "...", "samlGroupName": "..." }]`) or CSV
 * (`groupName,samlGroupName` per line, an optional header, double quotes for values with commas).
 * An empty samlGroupName unmatches.
 */
export function parseGroupMatches(text: string, fileName: string): GroupMatch[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (fileName.toLowerCase().endsWith('.json') || trimmed.startsWith('[')) return fromJson(trimmed);
  return fromCsv(trimmed);
}

function fromJson(text: string): GroupMatch[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new Error('JSON must be an array of { groupName, samlGroupName }');
  return parsed.map((entry, i) => {
    const { groupName, samlGroupName } = (entry ?? {}) as Record<string, unknown>;
    if (typeof groupName !== 'string' || !groupName.trim()) throw new Error(`entry ${i + 1}: groupName is missing`);
    if (samlGroupName !== undefined && samlGroupName !== null && typeof samlGroupName !== 'string') {
      throw new Error(`entry ${i + 1}: samlGroupName must be a string or null`);
    }
    return { groupName: groupName.trim(), samlGroupName: samlGroupName?.trim() || null };
  });
}

function fromCsv(text: string): GroupMatch[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const rows = lines.map(splitCsvLine);
  if (rows.length > 0 && rows[0][0]?.trim().toLowerCase() === 'groupname') rows.shift();
  return rows.map((cells, i) => {
    if (cells.length < 1 || cells.length > 2 || !cells[0].trim()) {
      throw new Error(`line ${i + 1}: expected "groupName,samlGroupName"`);
    }
    return { groupName: cells[0].trim(), samlGroupName: cells[1]?.trim() || null };
  });
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
