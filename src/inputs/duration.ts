/** 1 h 05 min 12 s, 4 min 03 s, 9 s: for logs and reports. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const pad = (n: number): string => String(n).padStart(2, '0')
  if (h > 0) return `${h} h ${pad(m)} min ${pad(s)} s`
  if (m > 0) return `${m} min ${pad(s)} s`
  return `${s} s`
}
