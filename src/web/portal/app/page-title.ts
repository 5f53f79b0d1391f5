import { useEffect } from 'react'

/** Sets the tab title ("Acme Co — Project Portal · Northwind Studio"). */
export function usePageTitle(title: string | undefined, workspace?: string): void {
  useEffect(() => {
    if (title) document.title = workspace ? `${title} · ${workspace}` : title
  }, [title, workspace])
}
