// The whole portal shape of a fixed dataset, snapshotted: a key added to or removed from /me, /home or a
// record detail changes the snapshot and so shows up in review (invariant 2, checklist C5). Ids become
// <id:n> (numbered by first appearance, so references stay visible) and timestamps <date>.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabases } from '../helpers/databases.js'
import { buildPortalTestApp, clientCookie, PortalData, portalGet, previewGet, staffHeaders, withPlaceholders, type PortalTestApp } from '../helpers/portal-data.js'

describe.each(testDatabases)('portal projection snapshot on $name', (db) => {
  let t: PortalTestApp
  let cookie: string
  let staff: Record<string, string>
  const ids = {} as Record<'company' | 'brandRefresh' | 'launchVideo' | 'invoice' | 'hiddenFile', string>

  beforeAll(async () => {
    t = await buildPortalTestApp(db)
    const d = new PortalData('2026-11-02T10:00:00.000Z')
    const ws = d.workspace({ name: 'Brightline Studio', logoUrl: 'https://cdn.example/brightline.png', brandColor: '#0f766e' })
    const dana = d.user(ws, { name: 'Dana Lead' })
    d.user(ws, { name: 'Sam Staff', role: 'member' })
    ids.company = d.company(ws, 'Acme Co')
    const globex = d.company(ws, 'Globex')
    const bea = d.contact(ws, ids.company, { name: 'Bea Buyer', email: 'bea@acme.example' })

    const projects = d.type(ws, { key: 'projects', singular: 'Project', plural: 'Projects', hasPipeline: true, position: 0 })
    const [planned, doing] = [
      d.stage(ws, projects, { name: 'Planned', color: '#64748b', position: 0 }),
      d.stage(ws, projects, { name: 'In progress', color: '#2563eb', position: 1 }),
      d.stage(ws, projects, { name: 'Done', color: '#16a34a', position: 2 }),
    ]
    const f = {
      due: d.field(ws, projects, { key: 'due_date', label: 'Due date', kind: 'date', position: 0 }),
      budget: d.field(ws, projects, { key: 'budget', label: 'Budget', kind: 'currency', position: 1 }),
      priority: d.field(ws, projects, { key: 'priority', label: 'Priority', kind: 'select', options: ['Low', 'High'], position: 2 }),
      website: d.field(ws, projects, { key: 'website', label: 'Website', kind: 'url', position: 3 }),
      lead: d.field(ws, projects, { key: 'lead', label: 'Lead', kind: 'user', position: 4 }),
      hours: d.field(ws, projects, { key: 'hours', label: 'Hours', kind: 'number', position: 5 }),
      approved: d.field(ws, projects, { key: 'approved', label: 'Approved', kind: 'checkbox', position: 6 }),
      notes: d.field(ws, projects, { key: 'notes', label: 'Internal notes', kind: 'long_text', position: 7 }),
      margin: d.field(ws, projects, { key: 'margin', label: 'Margin', kind: 'number', position: 8 }),
    }
    d.settings(ws, projects, { shareable: true, showStatus: true, showFiles: true, showComments: true })
    d.visible(ws, projects, [f.due, f.budget, f.priority, f.website, f.lead, f.hours, f.approved])

    ids.brandRefresh = d.record(ws, { typeId: projects, companyId: ids.company, name: 'Brand refresh', stageId: doing, status: 'at_risk', ownerId: dana })
    d.value(ws, ids.brandRefresh, f.due, '2027-01-15')
    d.value(ws, ids.brandRefresh, f.budget, 1_234_56)
    d.value(ws, ids.brandRefresh, f.priority, 'High')
    d.value(ws, ids.brandRefresh, f.website, 'https://acme.example/brand/')
    d.value(ws, ids.brandRefresh, f.lead, dana)
    d.value(ws, ids.brandRefresh, f.hours, 1250.5)
    d.value(ws, ids.brandRefresh, f.approved, false)
    d.value(ws, ids.brandRefresh, f.notes, 'Client is slow to pay')
    d.value(ws, ids.brandRefresh, f.margin, 42)
    d.file(ws, ids.brandRefresh, { name: 'brief.pdf', data: Buffer.from('%PDF-1.4 brief'), source: 'team', userId: dana, createdAt: '2026-11-03T09:00:00.000Z' })
    d.file(ws, ids.brandRefresh, { name: 'logo-final.png', data: Buffer.from('png bytes here'), source: 'client', contactId: bea, createdAt: '2026-11-04T09:00:00.000Z' })
    d.comment(ws, ids.brandRefresh, { body: 'Kickoff moved to Monday.', userId: dana, createdAt: '2026-11-03T10:00:00.000Z' })
    d.comment(ws, ids.brandRefresh, { body: 'Thanks — see the attached logo.', contactId: bea, createdAt: '2026-11-04T10:00:00.000Z' })

    const websiteRedesign = d.record(ws, { typeId: projects, companyId: ids.company, name: 'Website redesign', stageId: planned, status: 'on_track' })
    d.value(ws, websiteRedesign, f.website, 'ftp://files.acme.example')
    d.value(ws, websiteRedesign, f.approved, true)
    d.record(ws, { typeId: projects, companyId: globex, name: 'Globex rollout', stageId: planned, status: 'off_track' })

    const deliverables = d.type(ws, { key: 'deliverables', singular: 'Deliverable', plural: 'Deliverables', hasPipeline: false, position: 1 })
    const format = d.field(ws, deliverables, { key: 'format', label: 'Format', kind: 'text', position: 0 })
    d.settings(ws, deliverables, { shareable: true, showStatus: false, showFiles: false, showComments: false })
    d.visible(ws, deliverables, [format])
    ids.launchVideo = d.record(ws, { typeId: deliverables, companyId: ids.company, name: 'Launch video', status: 'done' })
    d.value(ws, ids.launchVideo, format, '4K MP4')
    ids.hiddenFile = d.file(ws, ids.launchVideo, { name: 'raw-footage.mov' })
    d.comment(ws, ids.launchVideo, { body: 'Staff-only thread', userId: dana })

    const invoices = d.type(ws, { key: 'invoices', singular: 'Invoice', plural: 'Invoices', hasPipeline: false, position: 2 })
    ids.invoice = d.record(ws, { typeId: invoices, companyId: ids.company, name: 'INV-001' })
    await d.flush(t.deps)

    staff = await staffHeaders(t, ws, dana)
    cookie = await clientCookie(t, staff, ids.company, bea)
  })
  afterAll(() => t.close())

  it('/me is the branding, the company and the signed-in contact, nothing more', async () => {
    const res = await portalGet(t, cookie, '/me')
    expect(res.statusCode).toBe(200)
    expect(withPlaceholders(res.json())).toMatchInlineSnapshot(`
      {
        "company": {
          "name": "Acme Co",
        },
        "contact": {
          "email": "bea@acme.example",
          "name": "Bea Buyer",
        },
        "preview": false,
        "workspace": {
          "brandColor": "#0f766e",
          "logoUrl": "https://cdn.example/brightline.png",
          "name": "Brightline Studio",
        },
      }
    `)
  })

  it('/home is every shared type with its stages in order, counts, rollups and visible summaries', async () => {
    const res = await portalGet(t, cookie, '/home')
    expect(res.statusCode).toBe(200)
    expect(withPlaceholders(res.json())).toMatchInlineSnapshot(`
      {
        "types": [
          {
            "hasPipeline": true,
            "key": "projects",
            "plural": "Projects",
            "records": [
              {
                "fileCount": 2,
                "id": "<id:4>",
                "name": "Brand refresh",
                "stageId": "<id:2>",
                "status": "at_risk",
                "summary": [
                  {
                    "display": "Jan 15, 2027",
                    "key": "due_date",
                    "kind": "date",
                    "label": "Due date",
                  },
                  {
                    "display": "$1,234.56",
                    "key": "budget",
                    "kind": "currency",
                    "label": "Budget",
                  },
                  {
                    "display": "High",
                    "key": "priority",
                    "kind": "select",
                    "label": "Priority",
                  },
                ],
              },
              {
                "fileCount": 0,
                "id": "<id:5>",
                "name": "Website redesign",
                "stageId": "<id:1>",
                "status": "on_track",
                "summary": [
                  {
                    "display": "ftp://files.acme.example",
                    "key": "website",
                    "kind": "url",
                    "label": "Website",
                  },
                  {
                    "display": "Yes",
                    "key": "approved",
                    "kind": "checkbox",
                    "label": "Approved",
                  },
                ],
              },
            ],
            "singular": "Project",
            "stages": [
              {
                "color": "#64748b",
                "count": 1,
                "fileCount": 0,
                "id": "<id:1>",
                "name": "Planned",
                "statusRollup": [
                  {
                    "count": 1,
                    "status": "on_track",
                  },
                ],
              },
              {
                "color": "#2563eb",
                "count": 1,
                "fileCount": 2,
                "id": "<id:2>",
                "name": "In progress",
                "statusRollup": [
                  {
                    "count": 1,
                    "status": "at_risk",
                  },
                ],
              },
              {
                "color": "#16a34a",
                "count": 0,
                "fileCount": 0,
                "id": "<id:3>",
                "name": "Done",
                "statusRollup": [],
              },
            ],
          },
          {
            "hasPipeline": false,
            "key": "deliverables",
            "plural": "Deliverables",
            "records": [
              {
                "id": "<id:6>",
                "name": "Launch video",
                "stageId": null,
                "summary": [
                  {
                    "display": "4K MP4",
                    "key": "format",
                    "kind": "text",
                    "label": "Format",
                  },
                ],
              },
            ],
            "singular": "Deliverable",
            "stages": [],
          },
        ],
      }
    `)
  })

  it('a record detail formats every visible field by kind and shows files and comments', async () => {
    const res = await portalGet(t, cookie, `/records/${ids.brandRefresh}`)
    expect(res.statusCode).toBe(200)
    expect(withPlaceholders(res.json())).toMatchInlineSnapshot(`
      {
        "canComment": true,
        "canUpload": false,
        "comments": [
          {
            "authorName": "Dana Lead",
            "body": "Kickoff moved to Monday.",
            "createdAt": "<date>",
            "id": "<id:4>",
            "side": "team",
          },
          {
            "authorName": "Bea Buyer",
            "body": "Thanks — see the attached logo.",
            "createdAt": "<date>",
            "id": "<id:5>",
            "side": "client",
          },
        ],
        "fields": [
          {
            "display": "Jan 15, 2027",
            "key": "due_date",
            "kind": "date",
            "label": "Due date",
          },
          {
            "display": "$1,234.56",
            "key": "budget",
            "kind": "currency",
            "label": "Budget",
          },
          {
            "display": "High",
            "key": "priority",
            "kind": "select",
            "label": "Priority",
          },
          {
            "display": "acme.example/brand",
            "href": "https://acme.example/brand/",
            "key": "website",
            "kind": "url",
            "label": "Website",
          },
          {
            "display": "Dana Lead",
            "key": "lead",
            "kind": "user",
            "label": "Lead",
          },
          {
            "display": "1,250.5",
            "key": "hours",
            "kind": "number",
            "label": "Hours",
          },
          {
            "display": "No",
            "key": "approved",
            "kind": "checkbox",
            "label": "Approved",
          },
        ],
        "files": [
          {
            "createdAt": "<date>",
            "id": "<id:2>",
            "name": "logo-final.png",
            "size": 14,
            "source": "client",
            "uploadedBy": "Bea Buyer",
          },
          {
            "createdAt": "<date>",
            "id": "<id:3>",
            "name": "brief.pdf",
            "size": 14,
            "source": "team",
            "uploadedBy": "Dana Lead",
          },
        ],
        "id": "<id:1>",
        "name": "Brand refresh",
        "stage": {
          "color": "#2563eb",
          "name": "In progress",
        },
        "status": "at_risk",
        "type": {
          "key": "projects",
          "plural": "Projects",
          "singular": "Project",
        },
      }
    `)
  })

  it('a record of a type that hides status, files and comments has none of those keys', async () => {
    const res = await portalGet(t, cookie, `/records/${ids.launchVideo}`)
    expect(res.statusCode).toBe(200)
    expect(withPlaceholders(res.json())).toMatchInlineSnapshot(`
      {
        "canComment": false,
        "canUpload": false,
        "fields": [
          {
            "display": "4K MP4",
            "key": "format",
            "kind": "text",
            "label": "Format",
          },
        ],
        "id": "<id:1>",
        "name": "Launch video",
        "stage": null,
        "type": {
          "key": "deliverables",
          "plural": "Deliverables",
          "singular": "Deliverable",
        },
      }
    `)
  })

  it('no hidden value, hidden field, unshared type, other company or staff-only thread appears in any of them', async () => {
    const bodies = await Promise.all(['/me', '/home', `/records/${ids.brandRefresh}`, `/records/${ids.launchVideo}`].map(async (url) => (await portalGet(t, cookie, url)).body))
    for (const secret of [
      'Client is slow to pay',
      'Internal notes',
      '"notes"',
      'margin',
      'Margin',
      'Invoice',
      'INV-001',
      'Globex',
      'raw-footage',
      'Staff-only thread',
      'Sam Staff',
      ids.invoice,
      ids.hiddenFile,
    ]) {
      for (const body of bodies) expect(body).not.toContain(secret)
    }
    expect((await portalGet(t, cookie, `/records/${ids.invoice}`)).statusCode).toBe(404)
    expect((await portalGet(t, cookie, `/files/${ids.hiddenFile}/download`)).statusCode).toBe(404)
  })

  it('Preview shows the same records as the client, marked as a preview and never able to upload or comment', async () => {
    const [me, home, detail] = await Promise.all([
      previewGet(t, staff, ids.company, '/me'),
      previewGet(t, staff, ids.company, '/home'),
      previewGet(t, staff, ids.company, `/records/${ids.brandRefresh}`),
    ])
    expect(withPlaceholders(me.json())).toMatchInlineSnapshot(`
      {
        "company": {
          "name": "Acme Co",
        },
        "contact": {
          "email": "preview",
          "name": "Preview",
        },
        "preview": true,
        "workspace": {
          "brandColor": "#0f766e",
          "logoUrl": "https://cdn.example/brightline.png",
          "name": "Brightline Studio",
        },
      }
    `)
    expect(home.json()).toEqual((await portalGet(t, cookie, '/home')).json())
    const client = (await portalGet(t, cookie, `/records/${ids.brandRefresh}`)).json()
    expect(detail.json()).toEqual({ ...client, canUpload: false, canComment: false })
  })
})
