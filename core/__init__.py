"""What every app uses: the clock (and, as the apps grow into it, dates, paging, enqueueing)."""
