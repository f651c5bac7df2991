// The chart's Grafana dashboard and the metric names its queries use.
import { readFileSync } from 'node:fs';
import { repoPath } from './paths.js';

export const dashboardFile = repoPath('charts/lxc-attach-operator/files/grafana/lxc-attach-dashboard.json');

export interface DashboardTarget {
  refId: string;
  expr: string;
  datasource?: { type: string; uid: string };
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: DashboardTarget[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: { name: string; type: string; query: unknown }[] };
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(dashboardFile, 'utf8')) as Dashboard;
}

/** The metric names a PromQL expression selects: identifiers followed by a matcher or a range. */
export function selectedMetrics(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{[]/g)].map((m) => m[1]!).filter((n) => n !== 'by' && n !== 'without');
}

/** Metric families of a scrape (`# TYPE` lines) with the series names each one exposes. */
export function exportedSeriesNames(scrape: string): Map<string, string[]> {
  const families = new Map<string, string[]>();
  for (const m of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m as unknown as [string, string, string];
    families.set(name, type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]);
  }
  return families;
}
