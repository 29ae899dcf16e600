// The calendar objects in an incoming mail (RFC 2045/2046): every text/calendar part, with or without the
// method parameter (Apple leaves it out), and application/ics attachments; plus the From address. Enough MIME
// for the replies calendar programs send, without a mail-parsing library in the bot.
export interface InboundMail {
  from: string;
  messageId: string;
  calendars: string[];
}

interface Part {
  headers: Map<string, string>;
  type: string;
  params: Map<string, string>;
  children: Part[];
  body: Buffer;
}

function parse(text: string): Part {
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const rest = split < 0 ? "" : text.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0 && !headers.has(line.slice(0, i).trim().toLowerCase())) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const [type = "text/plain", ...paramParts] = (headers.get("content-type") ?? "text/plain").split(";");
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const i = p.indexOf("=");
    if (i > 0) params.set(p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  const part: Part = { headers, type: type.trim().toLowerCase(), params, children: [], body: Buffer.alloc(0) };
  if (part.type.startsWith("multipart/") && params.get("boundary")) {
    const b = params.get("boundary")!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pieces = rest.split(new RegExp(`(?:^|\\r?\\n)--${b}(?:--)?[ \\t]*(?:\\r?\\n|$)`));
    part.children = pieces.slice(1).filter((p) => p.trim()).map(parse);
  } else {
    const enc = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
    if (enc === "base64") part.body = Buffer.from(rest.replace(/\s+/g, ""), "base64");
    else if (enc === "quoted-printable")
      part.body = Buffer.from(rest.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1");
    else part.body = Buffer.from(rest, "latin1");
  }
  return part;
}

function all(p: Part): Part[] {
  return [p, ...p.children.flatMap(all)];
}

function isCalendar(p: Part): boolean {
  if (p.type === "text/calendar" || p.type === "application/ics") return true;
  const name = p.params.get("name") ?? /filename="?([^";]+)/i.exec(p.headers.get("content-disposition") ?? "")?.[1] ?? "";
  return p.type === "application/octet-stream" && /\.ics$/i.test(name);
}

export function readInbound(raw: Buffer): InboundMail {
  const root = parse(raw.toString("latin1"));
  const fromHeader = root.headers.get("from") ?? "";
  const from = (/<([^>]+)>/.exec(fromHeader)?.[1] ?? fromHeader).trim().toLowerCase();
  const messageId = root.headers.get("message-id") ?? "";
  const calendars = all(root)
    .filter((p) => !p.children.length && isCalendar(p))
    .map((p) => p.body.toString("utf8"));
  // The same object often comes twice (the alternative and an attachment): one answer is enough.
  return { from, messageId, calendars: [...new Set(calendars.map((c) => c.replace(/\r\n/g, "\n")))].map((c) => c.replace(/\n/g, "\r\n")) };
}
