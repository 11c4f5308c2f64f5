/** Latency and throughput figures of one phase, in the shape the JSON report carries. */
export interface PhaseResult {
  name: string;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  /** rps as a fraction of the floor's rps; null for the floor itself. */
  ofFloor: number | null;
  /** Up to a few distinct error descriptions, so that a failing phase says why. */
  errorSamples?: string[];
}

/** Nearest-rank percentile of sorted values (ms); 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Collects per-request outcomes of a phase. Only successful requests count towards throughput and latency. */
export class PhaseRecorder {
  private readonly latencies: number[] = [];
  private readonly errorCounts = new Map<string, number>();
  requests = 0;
  errors = 0;
  private startedAt = 0;
  private endedAt = 0;

  constructor(readonly name: string) {}

  start(): void {
    this.startedAt = performance.now();
  }

  stop(): void {
    this.endedAt = performance.now();
  }

  ok(ms: number): void {
    this.requests++;
    this.latencies.push(ms);
  }

  error(description: string): void {
    this.requests++;
    this.errors++;
    this.errorCounts.set(description, (this.errorCounts.get(description) ?? 0) + 1);
  }

  /** A check after the timed requests found a wrong result (e.g. a group's final membership): an error, not a request. */
  checkFailed(description: string): void {
    this.errors++;
    this.errorCounts.set(description, (this.errorCounts.get(description) ?? 0) + 1);
  }

  /** Adds the outcomes of a sub-walk timed by its own recorder (the wall time stays this recorder's). */
  absorb(other: PhaseRecorder): void {
    this.requests += other.requests;
    this.errors += other.errors;
    this.latencies.push(...other.latencies);
    for (const [description, count] of other.errorCounts) {
      this.errorCounts.set(description, (this.errorCounts.get(description) ?? 0) + count);
    }
  }

  /** Elapsed wall time of the phase, in seconds. */
  get seconds(): number {
    return Math.max(1e-9, (this.endedAt || performance.now()) - this.startedAt) / 1000;
  }

  result(floorRps: number | null): PhaseResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    // Throughput counts correct answers only: a fast wrong answer must not make a phase look good.
    const rps = (this.requests - this.errors) / this.seconds;
    const result: PhaseResult = {
      name: this.name,
      requests: this.requests,
      errors: this.errors,
      rps: round(rps, 1),
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      ofFloor: floorRps ? round(rps / floorRps, 3) : null,
    };
    if (this.errorCounts.size > 0) {
      result.errorSamples = [...this.errorCounts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([description, count]) => `${count}× ${description}`);
    }
    return result;
  }
}

/** A fixed-width text table. */
export function formatTable(
  headers: string[],
  rows: (string | number | null | undefined)[][],
  leftColumns = [0],
): string {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell))));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (leftColumns.includes(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
