import type { Deps } from '../deps.js'
import type { PageBrand } from './pages.js'

/** The brand of pages shown before we know who is asking: the deployment's first workspace. */
export async function defaultBrand(deps: Deps): Promise<PageBrand> {
  const ws = await deps.db.selectFrom('workspaces').select(['name', 'logo_url', 'brand_color']).orderBy('created_at').limit(1).executeTakeFirst()
  return { name: ws?.name ?? 'Coeffection', logoUrl: ws?.logo_url ?? null, brandColor: ws?.brand_color ?? '#4f46e5' }
}
