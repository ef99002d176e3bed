import { signal } from '@preact/signals'
import type { UserView } from '@ioc/shared'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { usersApi, type UsersApi } from '../admin-api.ts'

export type UsersLoad = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }

/** The accounts list of the admin screen, kept in step with what the admin creates and changes. */
export function createUsersModel(api: Pick<UsersApi, 'list'> = usersApi) {
  const model = {
    users: signal<readonly UserView[]>([]),
    load: signal<UsersLoad>({ status: 'loading' }),

    async refresh(): Promise<void> {
      if (model.users.peek().length === 0) model.load.value = { status: 'loading' }
      try {
        model.users.value = (await api.list()).users
        model.load.value = { status: 'ready' }
      } catch (error) {
        if (!(error instanceof ApiRequestError)) throw error
        model.load.value = { status: 'error', failure: error.failure }
      }
    },

    /** One account as the server now has it (created, edited, reset). */
    put(user: UserView): void {
      const others = model.users.peek().filter((u) => u.id !== user.id)
      model.users.value = [...others, user]
    },
  }
  return model
}

export type UsersModel = ReturnType<typeof createUsersModel>
