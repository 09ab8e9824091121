import type { Emission } from '@ccai-sim/fixtures'

export interface EmissionFilter {
  readonly surfaces?: readonly string[] | undefined
  readonly sessionId?: number | undefined
  readonly agentId?: number | undefined
}

export type EmissionListener = (emission: Emission) => void

export function matchesFilter(emission: Emission, filter: EmissionFilter): boolean {
  if (filter.surfaces && filter.surfaces.length > 0 && !filter.surfaces.includes(emission.surface))
    return false
  if (filter.sessionId !== undefined && emission.sessionId !== filter.sessionId) return false
  if (
    filter.agentId !== undefined &&
    emission.agentId !== undefined &&
    emission.agentId !== filter.agentId
  )
    return false
  return true
}

/** Fans emissions out to live subscribers (SSE, WebSocket, the adapter page, webhooks). */
export class EmissionBus {
  private readonly listeners = new Set<{ filter: EmissionFilter; listener: EmissionListener }>()

  subscribe(filter: EmissionFilter, listener: EmissionListener): () => void {
    const entry = { filter, listener }
    this.listeners.add(entry)
    return () => {
      this.listeners.delete(entry)
    }
  }

  publish(emission: Emission): void {
    for (const { filter, listener } of this.listeners) {
      if (matchesFilter(emission, filter)) listener(emission)
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
