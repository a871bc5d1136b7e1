"""In-app notifications (알림): a bell in the header, a list page, optional e-mail."""
