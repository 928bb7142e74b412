// Splits pharmacy and immunization messages into ORC groups and, inside each, the RXO/RXE/RXD/RXA parts with their
// TQ1/RXR/RXC/NTE/OBX children (HL7 v2.5.1 ch. 4A message structures RDE_O11, RDS_O13, OMP_O09; ch. 4A.3 VXU_V04).
import type { Hl7Message, Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';

/** The segments that open a part of an order group. */
export const ORDER_PART_HEADS: ReadonlySet<string> = new Set(['RXO', 'RXE', 'RXD', 'RXA', 'RXG']);

export interface OrderPart {
  /** RXO/RXE/RXD/RXA/RXG, or undefined for the segments that follow the ORC directly (its TQ1 timing). */
  head: Hl7Segment | undefined;
  children: Hl7Segment[];
}

export interface OrderGroup {
  orc: Hl7Segment | undefined;
  /** 1-based position among the message's order groups (scopes message-local ids). */
  position: number;
  parts: OrderPart[];
}

/** Segments before the first ORC or RX* head (MSH, PID, PV1, AL1 ...) belong to no group. */
export function orderGroups(msg: Hl7Message): OrderGroup[] {
  const groups: OrderGroup[] = [];
  let group: OrderGroup | undefined;
  let part: OrderPart | undefined;
  for (const seg of msg.allSegments) {
    if (seg.name === 'ORC') {
      part = { head: undefined, children: [] };
      group = { orc: seg, position: groups.length + 1, parts: [part] };
      groups.push(group);
    } else if (ORDER_PART_HEADS.has(seg.name)) {
      // An RX* head after another of the same kind without an ORC between starts a new group (VXU senders omit ORC).
      if (!group || group.parts.some((p) => p.head?.name === seg.name)) {
        group = { orc: undefined, position: groups.length + 1, parts: [] };
        groups.push(group);
      }
      part = { head: seg, children: [] };
      group.parts.push(part);
    } else if (part) {
      part.children.push(seg);
    }
  }
  return groups;
}

/** The part headed by `name` (RXE, RXO ...), if the group has one. */
export function orderPart(group: OrderGroup, name: string): OrderPart | undefined {
  return group.parts.find((p) => p.head?.name === name);
}

/** Child segments named `name` of a part. */
export function childrenOf(part: OrderPart | undefined, name: string): Hl7Segment[] {
  return part ? part.children.filter((s) => s.name === name) : [];
}
