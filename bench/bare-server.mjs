// The practical ceiling: a bare node:http server that reads the request body and answers a
// canned JSON body (a real DescribeCertificate answer captured from certtrail) with the same
// headers certtrail sends. Plain JavaScript, no transpiler, run as its own process.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const body = readFileSync(process.env.BODY_FILE);
const port = Number(process.env.PORT);

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    Buffer.concat(chunks);
    res.writeHead(200, {
      'x-amzn-RequestId': randomUUID(),
      'Content-Type': 'application/x-amz-json-1.1',
      'Content-Length': String(body.length),
    });
    res.end(body);
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`bare listening on ${port}\n`));
const stop = () => server.close(() => process.exit(0)) && server.closeIdleConnections();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
