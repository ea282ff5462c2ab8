from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .extensions import db
from .models import ApiToken, User

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.route("/users")
@login_required
def users():
    page = request.args.get("page", 1, type=int)
    users = User.query.order_by(User.created_at.desc()).paginate(page=page, per_page=50)
    return render_template("admin/users.html", users=users)


@admin.route("/users/<int:user_id>/delete", methods=["POST"])
@login_required
def delete_user(user_id):
    if not current_user.is_admin:
        flash("Not allowed", "error")
        return redirect(url_for("admin.users"))
    user = User.query.get_or_404(user_id)
    db.session.delete(user)
    db.session.commit()
    flash(f"Deleted user {user.email}", "success")
    return redirect(url_for("admin.users"))


@admin.route("/users/<int:user_id>/tokens/revoke", methods=["POST"])
@login_required
def revoke_tokens(user_id):
    n = ApiToken.query.filter_by(user_id=user_id, revoked=False).update({"revoked": True})
    db.session.commit()
    flash(f"Revoked {n} tokens")
    return redirect(url_for("admin.users"))
