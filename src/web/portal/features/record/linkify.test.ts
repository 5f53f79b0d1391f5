import { describe, expect, it } from 'vitest'
import { linkify } from './linkify.js'

const links = (text: string) => linkify(text).filter((p) => p.kind === 'link')

describe('linkify', () => {
  it('keeps plain text as one text part', () => {
    expect(linkify('hello\nworld')).toEqual([{ kind: 'text', text: 'hello\nworld' }])
    expect(linkify('')).toEqual([])
  })

  it('turns http and https URLs into links and keeps the text around them', () => {
    expect(linkify('See https://example.com/a?b=1#c and http://x.org.')).toEqual([
      { kind: 'text', text: 'See ' },
      { kind: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { kind: 'text', text: '.' },
    ])
  })

  it('drops sentence punctuation and unbalanced brackets, keeps balanced ones', () => {
    expect(links('(see https://example.com/a), ok')[0]).toMatchObject({ text: 'https://example.com/a' })
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)).')[0]).toMatchObject({ text: 'https://en.wikipedia.org/wiki/Foo_(bar)' })
  })

  it('never links other schemes, and stops a URL at markup characters', () => {
    expect(links('javascript:alert(1) data:text/html,<b>x</b> mailto:a@b.c www.example.com ftp://x.org')).toEqual([])
    const parts = linkify('<a href="https://evil.example/x">click</a>')
    expect(parts.filter((p) => p.kind === 'link')).toEqual([{ kind: 'link', text: 'https://evil.example/x', href: 'https://evil.example/x' }])
    expect(parts.map((p) => p.text).join('')).toBe('<a href="https://evil.example/x">click</a>')
  })

  it('ignores a scheme with no host', () => {
    expect(links('https:// and https://.')).toEqual([])
  })

  it('loses no character of the original text', () => {
    const text = 'a https://x.com/(y) b\nhttps://z.org/?q="1" end'
    expect(linkify(text).map((p) => p.text).join('')).toBe(text)
  })
})
