// Whether a KPB uses the bot at all. The 47 NRW KPBs are loaded as reference data, but a KPB starts using the bot
// only when an organiser is named for it or a room is bound to it. Before that nobody there could have planned a
// SiKo with the bot, so its annual minimum is "not connected", not at risk or overdue (the LZPD's digest and
// `uebersicht alle` say so; the annual report counts it apart).

export interface ConnectionFacts {
  /** Users holding the organiser role for the KPB, on any platform. */
  organisers: number;
  /** Group rooms bound to the KPB, on any platform. */
  boundRooms: number;
}

export function isConnected(facts: ConnectionFacts | undefined): boolean {
  return facts !== undefined && (facts.organisers > 0 || facts.boundRooms > 0);
}
