// A demo webhook receiver for `npm run up`: appends every event it receives to a JSON-lines file.
const http = require('node:http');
const fs = require('node:fs');
const [port, file] = process.argv.slice(2);
http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      fs.appendFileSync(file, JSON.stringify({ receivedAt: new Date().toISOString(), webhookId: req.headers['webhook-id'], event: safeJson(body) }) + '\n');
      res.writeHead(204).end();
    });
  })
  .listen(Number(port), '127.0.0.1', () => console.log(`webhook sink on :${port} → ${file}`));

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
