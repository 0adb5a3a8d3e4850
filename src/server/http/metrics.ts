/** Request and socket counters, rendered in the Prometheus text format at `/metrics`. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly gauges = new Map<string, () => number>();

  countRequest(method: string, route: string, status: number): void {
    const key = `method="${method}",route="${escapeLabel(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  gauge(name: string, read: () => number): void {
    this.gauges.set(name, read);
  }

  render(): string {
    const lines = [
      '# HELP notes_http_requests_total HTTP requests by route and status.',
      '# TYPE notes_http_requests_total counter',
      ...[...this.requests].map(([labels, count]) => `notes_http_requests_total{${labels}} ${count}`),
    ];
    for (const [name, read] of this.gauges) lines.push(`# TYPE ${name} gauge`, `${name} ${read()}`);
    const memory = process.memoryUsage();
    lines.push(
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${memory.rss}`,
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${memory.heapUsed}`,
    );
    return lines.join('\n') + '\n';
  }
}

const escapeLabel = (value: string): string =>
  value.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
