// BGP-4 numbers from RFC 4271 and the RFCs that extend it. Names follow the RFC text so a reader can
// grep the RFC for them.

/** MsgType is the message type octet of the BGP header (RFC 4271 §4.1, RFC 2918 for ROUTE-REFRESH). */
export const MsgType = { OPEN: 1, UPDATE: 2, NOTIFICATION: 3, KEEPALIVE: 4, ROUTE_REFRESH: 5 } as const;

/** HEADER_LEN is the fixed header size: 16-octet marker, 2-octet length, 1-octet type (RFC 4271 §4.1). */
export const HEADER_LEN = 19;
/** MAX_MESSAGE_LEN is the largest message RFC 4271 allows without the extended message capability. */
export const MAX_MESSAGE_LEN = 4096;
/** AS_TRANS is the 2-octet stand-in for a 4-octet ASN (RFC 6793 §9). */
export const AS_TRANS = 23456;
/** BGP_VERSION is the only version we speak. */
export const BGP_VERSION = 4;

/** Afi is the address family identifier of the families we negotiate (RFC 4760). */
export const Afi = { IPV4: 1, IPV6: 2 } as const;
/** Safi is the subsequent address family identifier; we only speak unicast (RFC 4760). */
export const Safi = { UNICAST: 1 } as const;

/** CapCode is the capability code registry subset we use (RFC 5492 framing). */
export const CapCode = { MULTIPROTOCOL: 1, ROUTE_REFRESH: 2, FOUR_OCTET_AS: 65 } as const;

/** AttrType is the path attribute type code registry subset we know (RFC 4271 §5, 1997, 4760, 8092). */
export const AttrType = {
  ORIGIN: 1,
  AS_PATH: 2,
  NEXT_HOP: 3,
  MULTI_EXIT_DISC: 4,
  LOCAL_PREF: 5,
  ATOMIC_AGGREGATE: 6,
  AGGREGATOR: 7,
  COMMUNITIES: 8,
  MP_REACH_NLRI: 14,
  MP_UNREACH_NLRI: 15,
  LARGE_COMMUNITY: 32,
} as const;

/** AttrFlag bits of the attribute flags octet (RFC 4271 §4.3). */
export const AttrFlag = { OPTIONAL: 0x80, TRANSITIVE: 0x40, PARTIAL: 0x20, EXTENDED_LENGTH: 0x10 } as const;

/** AsPathSegmentType values (RFC 4271 §4.3; confederation segments RFC 5065 §3). */
export const AsPathSegmentType = { AS_SET: 1, AS_SEQUENCE: 2, AS_CONFED_SEQUENCE: 3, AS_CONFED_SET: 4 } as const;

/** Origin values (RFC 4271 §5.1.1). */
export const Origin = { IGP: 0, EGP: 1, INCOMPLETE: 2 } as const;

/** ErrorCode is the NOTIFICATION error code (RFC 4271 §4.5). */
export const ErrorCode = {
  MESSAGE_HEADER: 1,
  OPEN_MESSAGE: 2,
  UPDATE_MESSAGE: 3,
  HOLD_TIMER_EXPIRED: 4,
  FSM: 5,
  CEASE: 6,
} as const;

/** HeaderSubcode is the Message Header Error subcode (RFC 4271 §6.1). */
export const HeaderSubcode = { CONNECTION_NOT_SYNCHRONIZED: 1, BAD_MESSAGE_LENGTH: 2, BAD_MESSAGE_TYPE: 3 } as const;

/** OpenSubcode is the OPEN Message Error subcode (RFC 4271 §6.2, RFC 5492 for 7). */
export const OpenSubcode = {
  UNSPECIFIC: 0,
  UNSUPPORTED_VERSION_NUMBER: 1,
  BAD_PEER_AS: 2,
  BAD_BGP_IDENTIFIER: 3,
  UNSUPPORTED_OPTIONAL_PARAMETER: 4,
  UNACCEPTABLE_HOLD_TIME: 6,
  UNSUPPORTED_CAPABILITY: 7,
} as const;

/** UpdateSubcode is the UPDATE Message Error subcode (RFC 4271 §6.3). */
export const UpdateSubcode = {
  MALFORMED_ATTRIBUTE_LIST: 1,
  UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE: 2,
  MISSING_WELL_KNOWN_ATTRIBUTE: 3,
  ATTRIBUTE_FLAGS_ERROR: 4,
  ATTRIBUTE_LENGTH_ERROR: 5,
  INVALID_ORIGIN_ATTRIBUTE: 6,
  INVALID_NEXT_HOP_ATTRIBUTE: 8,
  OPTIONAL_ATTRIBUTE_ERROR: 9,
  INVALID_NETWORK_FIELD: 10,
  MALFORMED_AS_PATH: 11,
} as const;

/** FsmSubcode is the Finite State Machine Error subcode (RFC 6608). */
export const FsmSubcode = { UNSPECIFIED: 0, UNEXPECTED_IN_OPENSENT: 1, UNEXPECTED_IN_OPENCONFIRM: 2, UNEXPECTED_IN_ESTABLISHED: 3 } as const;

/** CeaseSubcode is the Cease subcode (RFC 4486). */
export const CeaseSubcode = {
  MAX_PREFIXES: 1,
  ADMINISTRATIVE_SHUTDOWN: 2,
  PEER_DECONFIGURED: 3,
  ADMINISTRATIVE_RESET: 4,
  CONNECTION_REJECTED: 5,
  OTHER_CONFIGURATION_CHANGE: 6,
  CONNECTION_COLLISION_RESOLUTION: 7,
  OUT_OF_RESOURCES: 8,
} as const;

const codeNames: Record<number, string> = {
  1: 'message header error', 2: 'open message error', 3: 'update message error',
  4: 'hold timer expired', 5: 'finite state machine error', 6: 'cease',
};
const subNames: Record<number, Record<number, string>> = {
  1: { 1: 'connection not synchronized', 2: 'bad message length', 3: 'bad message type' },
  2: { 1: 'unsupported version number', 2: 'bad peer as', 3: 'bad bgp identifier', 4: 'unsupported optional parameter', 6: 'unacceptable hold time', 7: 'unsupported capability' },
  3: { 1: 'malformed attribute list', 2: 'unrecognized well-known attribute', 3: 'missing well-known attribute', 4: 'attribute flags error', 5: 'attribute length error', 6: 'invalid origin attribute', 8: 'invalid next_hop attribute', 9: 'optional attribute error', 10: 'invalid network field', 11: 'malformed as_path' },
  6: { 1: 'maximum number of prefixes reached', 2: 'administrative shutdown', 3: 'peer de-configured', 4: 'administrative reset', 5: 'connection rejected', 6: 'other configuration change', 7: 'connection collision resolution', 8: 'out of resources' },
};

/** describeNotification names a code/subcode pair for logs, e.g. `cease/administrative shutdown`. */
export function describeNotification(code: number, subcode: number): string {
  const c = codeNames[code] ?? `code ${code}`;
  const s = subNames[code]?.[subcode] ?? `subcode ${subcode}`;
  return `${c}/${s}`;
}
