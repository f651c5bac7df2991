/** Kubernetes metav1.Time: RFC 3339 with whole seconds (toISOString's milliseconds are wrong here). */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
