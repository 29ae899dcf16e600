// A small MIME reader for the e-mail tests (RFC 2045/2046), written from the RFCs and independent of the
// library that builds the mails: headers unfolded, multiparts split on their boundary, bodies decoded.
export interface MimePart {
  headers: Map<string, string>;
  /** The media type in lower case, e.g. "multipart/alternative". */
  type: string;
  /** Parameters of Content-Type, names in lower case. */
  params: Map<string, string>;
  children: MimePart[];
  /** The decoded body of a leaf part. */
  body: Buffer;
}

export function parseMime(raw: Buffer | string): MimePart {
  const text = typeof raw === "string" ? raw : raw.toString("latin1");
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const rest = split < 0 ? "" : text.slice(split).replace(/^\r?\n\r?\n/, "");
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const [type = "text/plain", ...paramParts] = (headers.get("content-type") ?? "text/plain").split(";");
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const i = p.indexOf("=");
    if (i > 0) params.set(p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim().replace(/^"(.*)"$/, "$1"));
  }
  const part: MimePart = { headers, type: type.trim().toLowerCase(), params, children: [], body: Buffer.alloc(0) };
  if (part.type.startsWith("multipart/")) {
    const boundary = params.get("boundary")!;
    const pieces = rest.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?[ \\t]*\\r?\\n?`));
    part.children = pieces.slice(1, -1).filter((p) => p.trim()).map((p) => parseMime(p));
  } else {
    const enc = (headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
    if (enc === "base64") part.body = Buffer.from(rest.replace(/\s+/g, ""), "base64");
    else if (enc === "quoted-printable")
      part.body = Buffer.from(
        rest.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
        "latin1",
      );
    else part.body = Buffer.from(rest, "latin1");
  }
  return part;
}

/** Every part of the tree, depth first. */
export function partsOf(p: MimePart): MimePart[] {
  return [p, ...p.children.flatMap(partsOf)];
}

/** The shape of the tree, e.g. "multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),application/ics)". */
export function shapeOf(p: MimePart): string {
  return p.children.length ? `${p.type}(${p.children.map(shapeOf).join(",")})` : p.type;
}
