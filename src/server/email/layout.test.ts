import { describe, expect, it } from 'vitest'
import { escapeHtml, renderEmail, type Brand, type EmailContent } from './layout.js'

const brand: Brand = { name: 'Studio North', logoUrl: 'https://cdn.example/logo.png', brandColor: '#4f46e5', postalAddress: '1 Main St\nSpringfield, IL 62701' }
const content: EmailContent = {
  subject: 'New comment on Website redesign',
  paragraphs: ['Ada commented on Website redesign.', 'Line one\nline two'],
  action: { label: 'Open in portal', url: 'https://crm.example/portal/r/1?a=1&b=2' },
  reason: 'You receive this because you watch Website redesign.',
  footerLinks: [{ label: 'Unsubscribe', url: 'https://crm.example/u/opaque' }],
}

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
    expect(escapeHtml('plain text')).toBe('plain text')
  })
})

describe('renderEmail', () => {
  it('keeps the subject as given', () => {
    expect(renderEmail(brand, content).subject).toBe(content.subject)
  })

  it('escapes content, brand and links in the HTML part', () => {
    const { html } = renderEmail(
      { ...brand, name: 'Evil <b>Co</b>', postalAddress: '<img src=x onerror=alert(1)>' },
      {
        ...content,
        paragraphs: ['<script>alert(1)</script>'],
        reason: 'Because <i>you</i> asked',
        action: { label: '<b>Go</b>', url: 'https://x.example/"><script>alert(2)</script>' },
        footerLinks: [{ label: '<u>Stop</u>', url: 'https://x.example/u/"onmouseover="alert(3)' }],
      },
    )
    expect(html).not.toMatch(/<script|<img src=x|<b>|<i>|<u>|"onmouseover=/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('Evil &lt;b&gt;Co&lt;/b&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('Because &lt;i&gt;you&lt;/i&gt; asked')
    expect(html).toContain('href="https://x.example/&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"')
    expect(html).toContain('&lt;b&gt;Go&lt;/b&gt;')
  })

  it('renders the action as a link with an escaped href, and paragraph newlines as <br>', () => {
    const { html } = renderEmail(brand, content)
    expect(html).toContain('href="https://crm.example/portal/r/1?a=1&amp;b=2"')
    expect(html).toContain('>Open in portal</a>')
    expect(html).toContain('Line one<br>line two')
    expect(html).toContain('href="https://crm.example/u/opaque"')
  })

  it('writes a text part without any HTML', () => {
    const { text } = renderEmail(brand, content)
    expect(text).not.toMatch(/<\/?[a-z][^>]*>/i)
    expect(text).not.toMatch(/&(amp|lt|gt|quot|#39);/)
    expect(text).toContain('Ada commented on Website redesign.')
    expect(text).toContain('Line one\nline two')
    expect(text).toContain('Open in portal: https://crm.example/portal/r/1?a=1&b=2')
    expect(text).toContain('Unsubscribe: https://crm.example/u/opaque')
  })

  it('keeps content verbatim in the text part (it is not HTML, so nothing needs escaping)', () => {
    const { text } = renderEmail(brand, { ...content, paragraphs: ['Tom & Jerry <3'] })
    expect(text).toContain('Tom & Jerry <3')
  })

  it('puts the reason, the workspace name and the postal address in the footer of both parts', () => {
    const { html, text } = renderEmail(brand, content)
    for (const part of [html, text]) {
      expect(part).toContain(content.reason)
      expect(part).toContain('Studio North · 1 Main St, Springfield, IL 62701')
    }
    // The footer comes after the body.
    expect(text.indexOf(content.reason)).toBeGreaterThan(text.indexOf('Ada commented'))
    expect(html.indexOf(content.reason)).toBeGreaterThan(html.indexOf('Ada commented'))
    expect(text.split('\n')[0]).toBe('Studio North')
  })

  it('shows an https logo and ignores any other scheme', () => {
    expect(renderEmail(brand, content).html).toContain('<img src="https://cdn.example/logo.png" alt="Studio North"')
    for (const logoUrl of ['http://cdn.example/logo.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA', '//cdn.example/logo.png', null]) {
      const { html } = renderEmail({ ...brand, logoUrl }, content)
      expect(html).not.toContain('<img')
      if (logoUrl) expect(html).not.toContain(logoUrl)
    }
  })

  it('uses the brand colour only when it is a #rrggbb value', () => {
    expect(renderEmail(brand, content).html).toContain('solid #4f46e5')
    const { html } = renderEmail({ ...brand, brandColor: 'red;background:url(https://evil.example)' }, content)
    expect(html).not.toContain('evil.example')
    expect(html).toContain('solid #1a73e8')
  })

  it('leaves out the action and footer links when there are none', () => {
    const { html, text } = renderEmail(brand, { subject: 's', paragraphs: ['Hello'], reason: 'Because.' })
    expect(html).not.toContain('<a ')
    expect(text).toBe(['Studio North', '', 'Hello', '', '--', 'Because.', 'Studio North · 1 Main St, Springfield, IL 62701'].join('\n'))
  })
})
