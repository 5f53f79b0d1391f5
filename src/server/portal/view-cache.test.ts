// The view cache writes a view with the schema's writer: only the keys the portal contract names reach the
// bytes it keeps (allow-list, invariant 2), whatever a builder returns, and a view missing a required key is
// refused rather than kept half-written.
import { describe, expect, it } from 'vitest'
import { PortalHome } from '../../shared/contracts/portal.js'
import type { PortalPrincipal } from './scope.js'
import { createViewCache } from './view-cache.js'

const client: PortalPrincipal = {
  kind: 'client',
  workspaceId: 'w1',
  companyId: 'c1',
  contactId: 'ct1',
  contactName: 'Bea',
  contactEmail: 'bea@example.com',
  grantId: 'g1',
  sessionHash: 'h1',
  uploadsFolder: null,
  viewVersion: '1.1',
}
const card = { id: 'r1', name: 'Launch', stageId: 's1', summary: [{ key: 'due', label: 'Due', kind: 'date', display: 'Mar 1, 2027' }] }
const home = { types: [{ key: 'projects', singular: 'Project', plural: 'Projects', hasPipeline: true, stages: [], records: [card] }] }

describe('the portal view cache', () => {
  it('keeps only the keys the contract names, at every depth', async () => {
    const views = createViewCache({ enabled: true })
    const leaky = {
      internal: 'workspace-wide secret',
      types: [
        {
          ...home.types[0],
          ownerEmail: 'owner@studio.example',
          records: [{ ...card, internal_notes: 'Internal only', summary: [{ ...card.summary[0], fieldId: 'f-hidden', value: 1200000 }] }],
        },
      ],
    }
    const view = await views.render(client, 'home', PortalHome, async () => leaky)
    const text = view.body.toString()
    for (const leaked of ['internal', 'owner@studio.example', 'Internal only', 'f-hidden', '1200000']) expect(text).not.toContain(leaked)
    expect(JSON.parse(text)).toEqual(home)
  })

  it('refuses a view that lacks a required key, and keeps nothing for it', async () => {
    const views = createViewCache({ enabled: true })
    await expect(views.render(client, 'home', PortalHome, async () => ({ types: [{ ...home.types[0], records: [{ ...card, name: undefined }] }] }))).rejects.toThrow(/name/)
    let builds = 0
    const view = await views.render(client, 'home', PortalHome, async () => (builds++, home))
    expect(builds).toBe(1)
    expect(JSON.parse(view.body.toString())).toEqual(home)
  })

  it('serves a kept view while the versions are unchanged, and builds afresh when one moves', async () => {
    const views = createViewCache({ enabled: true })
    let builds = 0
    const build = async () => (builds++, home)
    const first = await views.render(client, 'home', PortalHome, build)
    expect(await views.render(client, 'home', PortalHome, build)).toBe(first)
    expect(builds).toBe(1)
    await views.render({ ...client, viewVersion: '1.2' }, 'home', PortalHome, build)
    expect(builds).toBe(2)
  })
})
