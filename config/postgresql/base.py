"""Django's PostgreSQL backend, plus the program context for row-level security.

Before every statement the backend makes the transaction-local setting ``app.programs`` equal
to what the django-scopes state asks for (``partnerships.tenancy.database_context``):

* inside a transaction, with one ``set_config(…, true)`` the first time a value is needed and
  again only when it changes; commit, rollback and a rolled-back savepoint forget it, as
  PostgreSQL does;
* in autocommit mode, a statement that needs a program context runs in a transaction of its
  own, ``BEGIN; set_config(…)`` … ``COMMIT``, so the setting dies with the statement. A statement
  without a context (the session, the program lookup) runs as before.

The setting statements go to the server directly, not through Django's cursor, so the query log
and the query-count tests see the application's own queries only.
"""

from django.db.backends.postgresql import base

from partnerships.tenancy import NO_PROGRAM, SETTING, database_context


def _set_config(value: str) -> str:
    # The value is built from integers or '*' (tenancy._program_ids): safe to inline, and an
    # inlined statement needs no parameter round trip.
    assert value in ("", "*") or all(part.isdigit() for part in value.split(",")), value
    return f"SELECT set_config('{SETTING}', '{value}', true)"


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The value set in the current transaction; None when nothing has been set in it.
        self.program_context = None
        # True while a savepoint is rolled back: in a failed transaction PostgreSQL refuses every
        # statement but that one, so it must go out without a set_config before it.
        self.rolling_back_savepoint = False
        self.execute_wrappers.insert(0, self._with_program_context)

    def _with_program_context(self, execute, sql, params, many, context):
        if self.rolling_back_savepoint:
            return execute(sql, params, many, context)
        wanted = database_context()
        if not self.get_autocommit():
            # Nothing set yet in this transaction means no program, as unset does on the server.
            if (self.program_context or NO_PROGRAM) != wanted:
                self.connection.execute(_set_config(wanted))
                self.program_context = wanted
            return execute(sql, params, many, context)
        if wanted == NO_PROGRAM:
            return execute(sql, params, many, context)
        self.connection.execute("BEGIN; " + _set_config(wanted))
        try:
            result = execute(sql, params, many, context)
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")
        return result

    def _commit(self):
        self.program_context = None
        return super()._commit()

    def _rollback(self):
        self.program_context = None
        return super()._rollback()

    def _savepoint_rollback(self, sid):
        self.rolling_back_savepoint = True
        try:
            super()._savepoint_rollback(sid)
        finally:
            self.rolling_back_savepoint = False
            # The server has restored the value of the savepoint's time, which may not be ours.
            self.program_context = None

    def _close(self):
        self.program_context = None
        return super()._close()
