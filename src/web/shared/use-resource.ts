// Loads data for a component; keeps the last data while reloading so the page doesn't flash.
import { useCallback, useEffect, useState } from 'react'

export type Resource<T> = {
  data: T | undefined
  error: unknown
  loading: boolean
  reload: () => void
  /** Replace the data locally (after a save returned the new value). */
  setData: (update: T | ((prev: T | undefined) => T)) => void
}

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [loading, setLoading] = useState(true)
  const [tick, setTick] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    setLoading(true)
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return
        setDataState(value)
        setError(undefined)
        setLoading(false)
      },
      (err: unknown) => {
        if (controller.signal.aborted) return
        setError(err)
        setLoading(false)
      },
    )
    return () => controller.abort()
  }, [...deps, tick])

  const reload = useCallback(() => setTick((t) => t + 1), [])
  const setData = useCallback((update: T | ((prev: T | undefined) => T)) => {
    setDataState((prev) => (typeof update === 'function' ? (update as (p: T | undefined) => T)(prev) : update))
  }, [])
  return { data, error, loading, reload, setData }
}

/** The value after it has stopped changing for `ms` (for search boxes). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const id = setTimeout(() => setDebounced(value), ms)
    return () => clearTimeout(id)
  }, [value, ms])
  return debounced
}
