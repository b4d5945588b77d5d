export const notificationsTypeDefs = /* GraphQL */ `
  "What a person can be alerted about. claimed: a lead offered to you was claimed by someone else; held: a lead waits past the managers' threshold."
  enum AlertKind {
    offered
    lapsed
    escalated
    reassigned
    shared
    claimed
    returned
    held
  }

  enum AlertChannel {
    in_app
    email
    sms
  }

  "One alert in the caller's own inbox. The message names the lead and the people, never a consumer's contact details."
  type Notification {
    "Its place in the inbox; pass it as after to read older ones."
    id: ID!
    leadId: ID!
    kind: AlertKind!
    message: String!
    at: DateTime!
    "Offers: when the claim window closes."
    deadlineAt: DateTime
    "Offers to a person: the signed link to view, claim or decline it."
    link: String
    read: Boolean!
  }

  type NotificationPage {
    ok: Boolean!
    errors: [UserError!]!
    nodes: [Notification!]!
    "Unread notifications in the inbox (counted over the newest 500 at most)."
    unreadCount: Int!
    hasMore: Boolean!
    "The id of the last node: pass it as after for the next page."
    endCursor: ID
  }

  type MarkReadPayload {
    ok: Boolean!
    errors: [UserError!]!
    "How many were unread and are read now."
    marked: Int!
    unreadCount: Int!
  }

  "No SMS between these local times (start may be after end: 21:00 to 08:00 spans the night)."
  type QuietHours {
    start: String!
    end: String!
  }

  type AlertKindChannels {
    kind: AlertKind!
    channels: [AlertChannel!]!
    "True when the person has not chosen, so the product's default applies."
    isDefault: Boolean!
  }

  "How a person is alerted, as it applies now (defaults filled in)."
  type AlertSettings {
    "Mobile number for SMS (E.164). Without it no SMS is sent."
    mobile: String
    "The person's IANA time zone, or null for the tenant's."
    timeZone: String
    "Null: SMS at any hour."
    quietHours: QuietHours
    channels: [AlertKindChannels!]!
  }

  input QuietHoursInput {
    "HH:MM, 24-hour."
    start: String!
    end: String!
  }

  input AlertKindChannelsInput {
    kind: AlertKind!
    "An empty list turns the kind off."
    channels: [AlertChannel!]!
  }

  """
  A change to alert settings: a field given replaces the setting, an explicit
  null clears it (mobile: none; timeZone: the tenant's; quietHours: none, SMS
  at any hour), a field left out stays as it was. Channels change per kind.
  """
  input AlertSettingsInput {
    mobile: String
    timeZone: String
    quietHours: QuietHoursInput
    channels: [AlertKindChannelsInput!]
  }

  type AlertSettingsPayload {
    ok: Boolean!
    errors: [UserError!]!
    settings: AlertSettings
  }

  extend type User {
    "Admins: how this user is alerted."
    alerts: AlertSettings!
  }

  extend type Query {
    "Everyone signed in: their own alerts, newest first."
    myNotifications(first: Int = 20, after: ID): NotificationPage!
    "Everyone signed in: how they are alerted."
    myAlertSettings: AlertSettings!
  }

  extend type Mutation {
    "Marks the caller's notifications read: the ones named, or all there are now."
    markNotificationsRead(ids: [ID!], all: Boolean): MarkReadPayload!
    updateMyAlertSettings(input: AlertSettingsInput!): AlertSettingsPayload!
    "Admins: someone else's alert settings (a mobile number taken by phone, a time zone)."
    updateUserAlertSettings(userId: ID!, input: AlertSettingsInput!): AlertSettingsPayload!
  }

  extend type Subscription {
    """
    Each alert as it reaches the caller's own inbox (server-sent events). With
    after (the newest id the client has listed), what arrived since comes
    first, so listing then subscribing misses nothing; without it, only what
    arrives after the subscription starts.
    """
    notificationReceived(after: ID): Notification!
  }
`;
