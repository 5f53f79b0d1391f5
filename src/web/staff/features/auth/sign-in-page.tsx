import { useState, type FormEvent } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { api } from '../../api.js'
import { FieldError, FormError, invalidProps } from '../../../shared/ui/form-error.js'
import './sign-in.css'

export function SignInPage() {
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    try {
      await api.post('/auth/sign-in', { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') }, { skipAuthRedirect: true })
      const next = params.get('next')
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/companies', { replace: true })
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <main className="sign-in">
      <form className="card form" onSubmit={onSubmit} noValidate>
        <h1>Sign in to Coeffection</h1>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="username" required autoFocus {...invalidProps(error, 'email', 'email-error')} />
          <FieldError error={error} field="email" id="email-error" />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required {...invalidProps(error, 'password', 'password-error')} />
          <FieldError error={error} field="password" id="password-error" />
        </div>
        <FormError error={error} shownAt={['email', 'password']} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
