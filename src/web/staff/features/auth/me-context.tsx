// Who is signed in and in which workspace; loaded once by the layout, refreshed after Settings saves.
import { createContext, useContext } from 'react'
import type { Me } from '../../../../shared/contracts/staff.js'

export type MeContextValue = { me: Me; refreshMe: () => void }

export const MeContext = createContext<MeContextValue | null>(null)

export function useMe(): MeContextValue {
  const value = useContext(MeContext)
  if (!value) throw new Error('useMe() outside the signed-in layout')
  return value
}
