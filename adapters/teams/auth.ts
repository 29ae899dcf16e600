// How the bot authenticates with the Bot Framework: inbound JWTs are checked by botbuilder's
// ConfigurationBotFrameworkAuthentication (OpenID metadata, keys and their endorsements, issuer, audience,
// serviceUrl claim), configured from SIKO_TEAMS_* and Bot Framework's own endpoint settings, read from the
// environment under their documented names as botbuilder's samples pass them (process.env).
//
// The outbound token: against Microsoft's login hosts botbuilder's stock path (MSAL) is used. With another
// `ToChannelFromBotLoginUrl` (a sovereign cloud's identity provider, or the local one of the tests) MSAL would first
// ask login.microsoftonline.com for instance discovery, which an offline or air-gapped network cannot answer;
// there the token comes from a plain OAuth 2.0 client-credentials request to `<ToChannelFromBotLoginUrl>/oauth2/v2.0/token`,
// the same request MSAL makes after discovery.
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity } from "botbuilder";
import {
  AppCredentials,
  AuthenticationConstants,
  ServiceClientCredentialsFactory,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from "botframework-connector";

/** Bot Framework's endpoint settings, with the names its documentation and botbuilder use. */
export const BOT_FRAMEWORK_SETTINGS = [
  "ToBotFromChannelOpenIdMetadataUrl",
  "ToBotFromChannelTokenIssuer",
  "ToChannelFromBotLoginUrl",
  "ToChannelFromBotOAuthScope",
  "OAuthUrl",
  "ToBotFromEmulatorOpenIdMetadataUrl",
  "CallerId",
  "ValidateAuthority",
  "ChannelService",
] as const;

export interface TeamsCredentials {
  appId?: string;
  appPassword?: string;
  appType: "SingleTenant" | "MultiTenant" | "UserAssignedMSI";
  tenantId?: string;
}

const MICROSOFT_LOGIN = [/^https:\/\/login\.microsoftonline\.com\//i, /^https:\/\/login\.microsoftonline\.us\//i];

/** A token obtained without MSAL's instance discovery; cached by botbuilder's AppCredentials like any other. */
class ClientCredentialsToken extends AppCredentials {
  constructor(
    appId: string,
    private readonly secret: string,
    private readonly loginUrl: string,
    scope: string,
  ) {
    super(appId, undefined, scope);
    this.oAuthEndpoint = loginUrl;
  }

  protected override async refreshToken(): Promise<{ accessToken: string; expiresOn: Date }> {
    const scope = this.oAuthScope.endsWith("/.default") ? this.oAuthScope : `${this.oAuthScope}/.default`;
    const res = await fetch(`${this.loginUrl.replace(/\/+$/, "")}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: this.appId, client_secret: this.secret, scope }),
    });
    // The answer may echo the request; only the status is worth a log line.
    if (!res.ok) throw new TokenUnavailable(`token endpoint answered ${res.status}`);
    const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string") throw new TokenUnavailable("token endpoint sent no access_token");
    return { accessToken: body.access_token, expiresOn: new Date(Date.now() + Number(body.expires_in ?? 3600) * 1000) };
  }
}

/** No token could be had: nothing was sent to the channel. */
export class TokenUnavailable extends Error {}

class SikoCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly inner: ConfigurationServiceClientCredentialFactory,
    private readonly creds: TeamsCredentials,
  ) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    return this.inner.isValidAppId(appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return this.inner.isAuthenticationDisabled();
  }

  async createCredentials(appId: string, audience: string, loginEndpoint: string, validateAuthority: boolean) {
    const custom = loginEndpoint && !MICROSOFT_LOGIN.some((re) => re.test(loginEndpoint));
    if (custom && this.creds.appPassword && !(await this.isAuthenticationDisabled())) {
      if (!(await this.isValidAppId(appId))) throw new Error("Invalid appId.");
      return new ClientCredentialsToken(appId, this.creds.appPassword, loginEndpoint, audience);
    }
    return this.inner.createCredentials(appId, audience, loginEndpoint, validateAuthority);
  }

  // Protects against JSON.stringify (a log line) leaking the secret.
  toJSON(): object {
    return { name: "SikoCredentialsFactory", appId: this.creds.appId };
  }
}

/** How many clients of each kind are kept: one per app, service URL and audience, and Teams has a handful. */
const CLIENTS_KEPT = 32;

/**
 * The stock authentication, with the clients of a turn made once and reused: botbuilder builds a connector
 * client and a user-token client (credentials and an HTTP pipeline of a dozen policies each) for every
 * activity, though a client is made to be reused and its credentials renew their token by themselves. Only the
 * clients of inbound turns are kept; a proactive send gets its own connector client, from which the adapter
 * takes the retries out.
 */
class ReusingAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    const factory = result.connectorFactory;
    if (!factory) return result;
    const appId = appIdOf(result.claimsIdentity);
    const reused: ConnectorFactory = { create: (serviceUrl, audience) => kept(this.connectors, `${appId}\u0000${serviceUrl}\u0000${audience ?? ""}`, () => factory.create(serviceUrl, audience)) };
    return { ...result, connectorFactory: reused };
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return kept(this.userTokenClients, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }
}

/** The bot's app id the clients act for, as botbuilder takes it: the audience of a channel's token, else its appid. */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? identity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? "";
}

/** The client kept under `key`, made once; one that could not be made (no credentials) is not kept. */
function kept<T>(clients: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = clients.get(key);
  if (known) return known;
  const made = make();
  if (clients.size >= CLIENTS_KEPT) clients.delete(clients.keys().next().value!);
  clients.set(key, made);
  // Only this one: a newer client made under the key meanwhile stays.
  made.catch(() => clients.get(key) === made && clients.delete(key));
  return made;
}

/** botbuilder's authentication for these credentials and endpoint settings, reusing the clients of a turn. */
export function botFrameworkAuthentication(creds: TeamsCredentials, env: Record<string, string | undefined>): ConfigurationBotFrameworkAuthentication {
  return new ReusingAuthentication(authenticationSettings(creds, env), credentialsFactory(creds));
}

/** The settings ConfigurationBotFrameworkAuthentication reads: the app's credentials and the endpoint settings given. */
export function authenticationSettings(creds: TeamsCredentials, env: Record<string, string | undefined>): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const key of BOT_FRAMEWORK_SETTINGS) {
    const v = env[key];
    if (v !== undefined && v !== "") settings[key] = v;
  }
  return { ...settings, ...appSettingsOf(creds) };
}

/** How the bot gets its outbound token (see the top of this file). */
export function credentialsFactory(creds: TeamsCredentials): ServiceClientCredentialsFactory {
  return new SikoCredentialsFactory(new ConfigurationServiceClientCredentialFactory(creds.appId ? appSettingsOf(creds) : {}), creds);
}

function appSettingsOf(creds: TeamsCredentials) {
  return {
    MicrosoftAppId: creds.appId ?? "",
    MicrosoftAppPassword: creds.appPassword ?? "",
    MicrosoftAppType: creds.appType,
    MicrosoftAppTenantId: creds.tenantId ?? "",
  };
}
