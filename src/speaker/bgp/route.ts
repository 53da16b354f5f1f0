// What the advertisement logic hands to a BGP backend (native sessions or FRR): one desired route.

/** Route is one prefix to announce to one peer, with the attributes our advertisement set on it. */
export interface Route {
  /** prefix is canonical `network/len` (IPv4 or IPv6). */
  prefix: string;
  /** localPref is sent to iBGP peers only (0 = unset). */
  localPref: number;
  /** communities canonical and sorted: `A:B` and `large:A:B:C`. */
  communities: string[];
}

/** PeerRoutes is the full desired table per peer name: backends diff it against what they sent. */
export type PeerRoutes = Map<string, Route[]>;
