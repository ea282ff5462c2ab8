from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .models import Comment, Post


@login_required
def post_detail(request, pk):
    post = get_object_or_404(Post, pk=pk)
    comments = post.comments.filter(is_spam=False).select_related("author")
    return render(request, "blog/post_detail.html", {"post": post, "comments": comments})


@require_POST
@login_required
def delete_post(request, pk):
    post = get_object_or_404(Post, pk=pk, author=request.user)
    post.delete()
    messages.success(request, "Post deleted.")
    return redirect("blog:index")


@require_POST
@login_required
def purge_spam(request, pk):
    post = get_object_or_404(Post, pk=pk, author=request.user)
    deleted, _ = Comment.objects.filter(post=post, is_spam=True).delete()
    messages.info(request, f"Removed {deleted} spam comments.")
    return redirect("blog:post_detail", pk=pk)
