#!/usr/bin/env bash
# Inventory of compute across clouds for the monthly cost review
gcloud compute instances list --format="table(name,zone,status)"
az vm list -d -o table
aws ec2 describe-instances --query 'Reservations[].Instances[].[InstanceId,State.Name]' --output table
kubectl get nodes -o wide
helm list -A
