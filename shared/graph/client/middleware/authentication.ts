import type { TokenCredential } from '@azure/identity';
import type { Context } from '@microsoft/microsoft-graph-client';
import { identityError } from '../../errors';
import { ChainedMiddleware, GraphCallContext, setHeader } from './call-context';

/**
 * Adds the app-only access token of the connection. @azure/identity caches and refreshes the token, so
 * each attempt (this middleware runs inside the retry loop) asks for it again at no cost.
 */
export class AuthenticationMiddleware extends ChainedMiddleware {
  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = GraphCallContext.of(context);
    let token: string | undefined;
    try {
      token = (await this.credential.getToken(this.scope, { abortSignal: call.request.signal }))?.token;
    } catch (error) {
      call.failure = identityError(error);
      throw call.failure;
    }
    if (!token) {
      call.failure = identityError(undefined);
      throw call.failure;
    }
    setHeader(context, 'Authorization', `Bearer ${token}`);
    await this.next(context);
  }
}
