// The bot's one HTTP server: calendar feeds and a health check now, the Teams endpoint later (mounted through
// `mount`). It knows nothing of the database: main passes a feed lookup in. Every "no" is the same plain 404, and
// no response ever carries an error's text or stack.
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, STATUS_CODES, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";

/** The iCalendar text of a KPB's feed, or null when the slug or token does not open one (whatever the reason). */
export type FeedLookup = (slug: string, token: unknown) => string | null;

/** The state-wide overview page for a link's token with its Content-Security-Policy, or null for every "no". */
export type ReportPageLookup = (token: unknown) => { html: string; csp: string } | null;

export interface HttpDeps {
  feed: FeedLookup;
  /** GET /bericht?token=…: the LZPD's overview page (issue 16). */
  reportPage?: ReportPageLookup;
  logger: Logger;
  /** /readyz: what is not ready, in a few words. */
  readiness?: () => Promise<{ ready: boolean; checks: unknown[] }>;
  /** /metrics in the Prometheus text format; with `token`, only for `Authorization: Bearer <token>`. */
  metrics?: { contentType: string; text: () => Promise<string>; token?: string };
  /** Further routes with their own body parsing and limits (the Teams adapter), mounted before the catch-all 404. */
  mount?: (app: Express) => void;
}

export interface HttpListenOptions {
  port: number;
  /** Interface to listen on; the caller's default is loopback (a TLS reverse proxy sits in front). */
  host?: string;
}

export interface RunningHttpServer {
  server: Server;
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

const FEED_FILE = /^([a-z0-9-]{1,80})\.ics$/;
/** Headers are the only input the routes here read; node refuses larger ones with 431. */
const MAX_HEADER_BYTES = 8 * 1024;

/** Compares the bearer token in constant time, so its length and content cannot be probed by timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? "";
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(token).digest();
  return timingSafeEqual(a, b);
}

function plain(res: Response, status: number): void {
  res.status(status).type("text/plain; charset=utf-8").send(`${STATUS_CODES[status] ?? "Error"}\n`);
}

/** A run of base64url characters as long as the bot's tokens are (they are 43). */
const TOKEN_LIKE = /[A-Za-z0-9_-]{20,}/g;

function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  // An ETag would let a client keep the feed; Cache-Control below says not to, so do not offer one.
  app.set("etag", false);

  app.use((_req, res, next) => {
    res.set({
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    });
    next();
  });

  deps.mount?.(app);

  // The routes below take no request body; one that comes anyway is refused unread and the connection closed,
  // so nobody can make the server read megabytes for a GET.
  app.use((req, res, next) => {
    const length = Number(req.headers["content-length"] ?? 0);
    if (req.headers["transfer-encoding"] !== undefined || !Number.isFinite(length) || length > 0) {
      res.set("Connection", "close");
      plain(res, 413);
      return;
    }
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    if (!deps.readiness) return void res.json({ status: "ready", checks: [] });
    const r = await deps.readiness();
    res.status(r.ready ? 200 : 503).json({ status: r.ready ? "ready" : "not ready", checks: r.checks });
  });

  app.get("/metrics", async (req, res, next) => {
    const metrics = deps.metrics;
    if (!metrics) return void next();
    if (metrics.token !== undefined && !bearerMatches(req.headers.authorization, metrics.token)) {
      res.set("WWW-Authenticate", "Bearer");
      return void plain(res, 401);
    }
    res.status(200).type(metrics.contentType).send(await metrics.text());
  });

  app.get("/calendar/:file", (req, res, next) => {
    const match = FEED_FILE.exec(req.params.file);
    const text = match ? deps.feed(match[1]!, req.query.token) : null;
    if (text === null) {
      next();
      return;
    }
    res.status(200).set({ "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store" }).send(text);
  });

  app.get("/bericht", (req, res, next) => {
    const page = deps.reportPage?.(req.query.token) ?? null;
    if (page === null) {
      res.set("X-Robots-Tag", "noindex, nofollow, noarchive");
      next();
      return;
    }
    res
      .status(200)
      .set({
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Robots-Tag": "noindex, nofollow, noarchive",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": page.csp,
        "X-Frame-Options": "DENY",
      })
      .send(page.html);
  });

  app.use((_req, res) => plain(res, 404));

  // Express 5 passes thrown and rejected errors here. Log the path only, without what looks like a token (the
  // feed's is in the query, an answer link's in the path). A client that hung up mid-request is no failure of ours.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    const hungUp = ["ECONNRESET", "ECONNABORTED"].includes(String((err as { code?: unknown }).code)) || (err as Error)?.message === "aborted";
    const clientStatus = typeof status === "number" && status >= 400 && status < 500 ? status : hungUp ? 400 : null;
    if (clientStatus === null) deps.logger.error({ err, method: req.method, path: req.path.replace(TOKEN_LIKE, "…") }, "http request failed");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    plain(res, clientStatus ?? 500);
  });
  return app;
}

export async function startHttpServer(deps: HttpDeps, opts: HttpListenOptions): Promise<RunningHttpServer> {
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, headersTimeout: 10_000, requestTimeout: 30_000 }, createHttpApp(deps));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: opts.port, host: opts.host }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        // Subscribed calendar clients keep connections open; do not wait for them on shutdown.
        server.closeAllConnections();
      }),
  };
}
