// The ceiling: a raw node:http server that answers every request with the very same bytes.
import { readFileSync } from 'node:fs'
import http from 'node:http'

const body = readFileSync(process.argv[2]!)
const type = process.argv[3] ?? 'application/json; charset=utf-8'
http
  .createServer((_req, res) => {
    res.writeHead(200, { 'content-type': type, 'content-length': body.length })
    res.end(body)
  })
  .listen(Number(process.argv[4]), '127.0.0.1', () => console.log('ready'))
